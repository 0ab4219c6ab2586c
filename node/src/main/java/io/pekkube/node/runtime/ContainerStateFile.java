package io.pekkube.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a restarted runtime needs to find and adopt a container it started earlier, kept as
 * {@code state.json} in the container's state directory. {@code startTicks} (the process's start time
 * from /proc) tells the container's process from a later process that got the same pid; the shim
 * ({@code shimPid}) waits for the container and leaves its exit code beside this file.
 */
record ContainerStateFile(String id, long pid, long startTicks, long shimPid, Instant startedAt, Path logFile, List<Path> cgroups,
    boolean mountNamespace, List<String> setpriv, ContainerSpec spec) {

  static final String NAME = "state.json";

  void write(Path stateDir) throws IOException {
    ObjectNode o = Json.object();
    o.put("id", id).put("pid", pid).put("startTicks", startTicks).put("shimPid", shimPid).put("startedAt", startedAt.toString())
        .put("logFile", logFile.toString()).put("mountNamespace", mountNamespace);
    ArrayNode cg = o.putArray("cgroups");
    cgroups.forEach(p -> cg.add(p.toString()));
    ArrayNode sp = o.putArray("setpriv");
    setpriv.forEach(sp::add);
    o.set("spec", specJson(spec));
    Path tmp = stateDir.resolve(NAME + ".tmp");
    Files.writeString(tmp, Json.write(o));
    Files.move(tmp, stateDir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static ContainerStateFile read(Path stateDir) throws IOException {
    JsonNode o = Json.MAPPER.readTree(Files.readString(stateDir.resolve(NAME)));
    List<Path> cgroups = new ArrayList<>();
    o.path("cgroups").forEach(n -> cgroups.add(Path.of(n.asText())));
    List<String> setpriv = new ArrayList<>();
    o.path("setpriv").forEach(n -> setpriv.add(n.asText()));
    return new ContainerStateFile(o.path("id").asText(), o.path("pid").asLong(), o.path("startTicks").asLong(),
        o.path("shimPid").asLong(),
        Instant.parse(o.path("startedAt").asText()), Path.of(o.path("logFile").asText()), cgroups,
        o.path("mountNamespace").asBoolean(), setpriv, spec(o.path("spec")));
  }

  private static ObjectNode specJson(ContainerSpec s) {
    ObjectNode o = Json.object();
    o.put("podUid", s.podUid()).put("namespace", s.namespace()).put("podName", s.podName())
        .put("containerName", s.containerName()).put("image", s.image()).put("workingDir", s.workingDir())
        .put("logDirectory", s.logDirectory().toString());
    ArrayNode command = o.putArray("command");
    s.command().forEach(command::add);
    ObjectNode env = o.putObject("env");
    s.env().forEach(env::put);
    ArrayNode mounts = o.putArray("mounts");
    s.mounts().forEach(m -> mounts.addObject().put("hostPath", m.hostPath().toString())
        .put("containerPath", m.containerPath()).put("readOnly", m.readOnly()));
    ObjectNode security = o.putObject("security").put("readOnlyRootFilesystem", s.security().readOnlyRootFilesystem());
    s.security().runAsUser().ifPresent(u -> security.put("runAsUser", u));
    s.security().runAsGroup().ifPresent(g -> security.put("runAsGroup", g));
    o.putObject("limits").put("memoryBytes", s.limits().memoryBytes()).put("cpuMillis", s.limits().cpuMillis())
        .put("cpuRequestMillis", s.limits().cpuRequestMillis());
    o.putObject("streams").put("stdin", s.streams().stdin()).put("stdinOnce", s.streams().stdinOnce())
        .put("tty", s.streams().tty());
    return o;
  }

  private static ContainerSpec spec(JsonNode o) {
    List<String> command = new ArrayList<>();
    o.path("command").forEach(n -> command.add(n.asText()));
    Map<String, String> env = new LinkedHashMap<>();
    o.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    List<ContainerSpec.Mount> mounts = new ArrayList<>();
    o.path("mounts").forEach(m -> mounts.add(new ContainerSpec.Mount(Path.of(m.path("hostPath").asText()),
        m.path("containerPath").asText(), m.path("readOnly").asBoolean())));
    JsonNode sec = o.path("security");
    ContainerSpec.Security security = new ContainerSpec.Security(
        sec.has("runAsUser") ? OptionalLong.of(sec.get("runAsUser").asLong()) : OptionalLong.empty(),
        sec.has("runAsGroup") ? OptionalLong.of(sec.get("runAsGroup").asLong()) : OptionalLong.empty(),
        sec.path("readOnlyRootFilesystem").asBoolean());
    JsonNode limits = o.path("limits");
    return new ContainerSpec(o.path("podUid").asText(), o.path("namespace").asText(), o.path("podName").asText(),
        o.path("containerName").asText(), o.path("image").asText(), command, env, o.path("workingDir").asText(),
        mounts, security, new ContainerSpec.Limits(limits.path("memoryBytes").asLong(), limits.path("cpuMillis").asLong(),
            limits.path("cpuRequestMillis").asLong()),
        Path.of(o.path("logDirectory").asText()), new ContainerSpec.Streams(o.path("streams").path("stdin").asBoolean(),
            o.path("streams").path("stdinOnce").asBoolean(), o.path("streams").path("tty").asBoolean()));
  }
}
