package io.pekkube.node.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.node.runtime.ContainerCommand;
import io.pekkube.node.runtime.ContainerSpec;
import io.pekkube.node.volumes.VolumeSources;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pod's volumes as the kubelet's volume manager and {@code makeMounts} see them: which ConfigMaps
 * and Secrets the volumes read, the fetched objects as {@link VolumeSources}, and each container's
 * {@code volumeMounts} turned into the runtime's mounts ({@code subPath}, {@code subPathExpr},
 * {@code readOnly}). Pure: the objects are fetched and the directories made by the caller.
 */
final class VolumeMounts {
  /** Plugins whose volumes the kubelet always mounts read-only (their content comes from the API). */
  private static final List<String> API_BACKED = List.of("configMap", "secret", "downwardAPI", "projected");

  private VolumeMounts() {}

  /** A container's mounts, or the message of why they cannot be made (a CreateContainerConfigError). */
  record Result(List<ContainerSpec.Mount> mounts, String error) {}

  /** Names of the ConfigMaps the pod's volumes read (projected sources included). */
  static Set<String> configMapNames(JsonNode pod) {
    return referenced(pod, "configMap", "name");
  }

  /** Names of the PersistentVolumeClaims the pod's volumes use. */
  static Set<String> claimNames(JsonNode pod) {
    return referenced(pod, "persistentVolumeClaim", "claimName");
  }

  /** Names of the Secrets the pod's volumes read (projected sources included). */
  static Set<String> secretNames(JsonNode pod) {
    return referenced(pod, "secret", "secretName");
  }

  private static Set<String> referenced(JsonNode pod, String plugin, String nameField) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode volume : pod.path("spec").path("volumes")) {
      List<JsonNode> sources = new ArrayList<>();
      sources.add(volume);
      volume.path("projected").path("sources").forEach(sources::add);
      for (JsonNode source : sources) {
        JsonNode ref = source.path(plugin);
        if (ref.isObject()) {
          // A projected secret source names itself with "name", a secret volume with "secretName".
          names.add(ref.path(nameField).asText(ref.path("name").asText("")));
        }
      }
    }
    return names;
  }

  /** Whether the volume's content comes from the API (configMap, secret, downwardAPI, projected). */
  static boolean isApiBacked(JsonNode volume) {
    return API_BACKED.stream().anyMatch(volume::has);
  }

  /** Whether the pod has volumes whose content the API can change (so they are refreshed). */
  static boolean hasApiBackedVolumes(JsonNode pod) {
    for (JsonNode volume : pod.path("spec").path("volumes")) {
      if (isApiBacked(volume)) {
        return true;
      }
    }
    return false;
  }

  /** The fetched objects (absent ones empty) and the node's allocatable, as the volume plugins read them. */
  static VolumeSources sources(Map<String, Optional<JsonNode>> configMaps, Map<String, Optional<JsonNode>> secrets,
      EnvResolution.NodeFacts node) {
    return sources(configMaps, secrets, Map.of(), Map.of(), node);
  }

  /** With the pod's claims (by name) and the volumes they are bound to (by name), absent ones empty. */
  static VolumeSources sources(Map<String, Optional<JsonNode>> configMaps, Map<String, Optional<JsonNode>> secrets,
      Map<String, Optional<JsonNode>> claims, Map<String, Optional<JsonNode>> persistentVolumes,
      EnvResolution.NodeFacts node) {
    return new VolumeSources() {
      @Override
      public Optional<JsonNode> persistentVolumeClaim(String namespace, String name) {
        return claims.getOrDefault(name, Optional.empty());
      }

      @Override
      public Optional<JsonNode> persistentVolume(String name) {
        return persistentVolumes.getOrDefault(name, Optional.empty());
      }

      @Override
      public Optional<Map<String, byte[]>> configMap(String namespace, String name) {
        return configMaps.getOrDefault(name, Optional.empty()).map(cm -> {
          Map<String, byte[]> data = new LinkedHashMap<>();
          cm.path("data").fields().forEachRemaining(e ->
              data.put(e.getKey(), e.getValue().asText("").getBytes(StandardCharsets.UTF_8)));
          cm.path("binaryData").fields().forEachRemaining(e ->
              data.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText(""))));
          return data;
        });
      }

      @Override
      public Optional<Map<String, byte[]>> secret(String namespace, String name) {
        return secrets.getOrDefault(name, Optional.empty()).map(secret -> {
          Map<String, byte[]> data = new LinkedHashMap<>();
          secret.path("data").fields().forEachRemaining(e ->
              data.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText(""))));
          return data;
        });
      }

      @Override
      public Map<String, BigDecimal> nodeAllocatable() {
        return Map.of("cpu", BigDecimal.valueOf(node.allocatableCpuMillis()).movePointLeft(3),
            "memory", BigDecimal.valueOf(node.allocatableMemoryBytes()));
      }
    };
  }

  /**
   * The container's {@code volumeMounts} on the pod's set-up volumes ({@code volumes}: name → host
   * path). {@code subPath} (or {@code subPathExpr}, expanded with the container's env) selects a path
   * inside the volume; configMap, secret, downwardAPI and projected volumes are always read-only.
   */
  static Result mounts(JsonNode pod, JsonNode container, Map<String, Path> volumes, Map<String, String> env) {
    List<ContainerSpec.Mount> mounts = new ArrayList<>();
    for (JsonNode mount : container.path("volumeMounts")) {
      String name = mount.path("name").asText("");
      Path hostPath = volumes.get(name);
      if (hostPath == null) {
        return new Result(List.of(), "cannot find volume \"" + name + "\" to mount into container \""
            + container.path("name").asText() + "\"");
      }
      String subPath = mount.path("subPath").asText("");
      if (mount.hasNonNull("subPathExpr")) {
        subPath = ContainerCommand.expand(mount.path("subPathExpr").asText(""), env);
      }
      if (!subPath.isEmpty()) {
        if (subPath.startsWith("/")) {
          return new Result(List.of(), "error SubPath `" + subPath + "` must not be an absolute path");
        }
        if (List.of(subPath.split("/")).contains("..")) {
          return new Result(List.of(), "unable to provision SubPath `" + subPath + "`: must not contain '..'");
        }
        hostPath = hostPath.resolve(subPath);
      }
      JsonNode volume = volume(pod, name);
      boolean readOnly = mount.path("readOnly").asBoolean(false)
          || isApiBacked(volume)
          || volume.path("persistentVolumeClaim").path("readOnly").asBoolean(false);
      mounts.add(new ContainerSpec.Mount(hostPath, mount.path("mountPath").asText(""), readOnly));
    }
    return new Result(mounts, null);
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode volume : pod.path("spec").path("volumes")) {
      if (volume.path("name").asText("").equals(name)) {
        return volume;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
