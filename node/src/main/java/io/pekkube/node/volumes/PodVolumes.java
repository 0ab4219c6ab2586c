package io.pekkube.node.volumes;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Makes a pod's volumes into host directories the runtime bind-mounts (or shows) at each
 * {@code mountPath}. Layout under the node's volume root, like the kubelet's:
 * {@code pods/<uid>/volumes/kubernetes.io~<plugin>/<name>} for a pod's own volumes, and the host path
 * itself for hostPath. A PersistentVolumeClaim is the volume it is bound to: its {@code hostPath} or
 * {@code local} directory, or, for a source this node cannot mount (nfs, csi, ...), the node-local
 * {@code persistent-volumes/<volume>} standing in for it (kept across pods, so a StatefulSet's
 * replacement pod finds its data).
 * Calling {@link #materialize} again updates configMap, secret, downwardAPI and projected volumes
 * atomically (the {@code ..data} swap), which is how the kubelet refreshes them.
 */
public final class PodVolumes {
  /** The event reason of a volume that could not be set up. */
  public static final String FAILED_MOUNT = "FailedMount";
  private static final int DEFAULT_MODE = 0644;

  private final Path root;

  public PodVolumes(Path root) {
    this.root = root;
  }

  /** A volume ready at {@code hostPath}, or why it is not ({@code message} as the FailedMount event says it). */
  public sealed interface Result permits Ready, Failed {}

  public record Ready(String volume, Path hostPath) implements Result {}

  public record Failed(String volume, String message) implements Result {}

  /** Sets up one entry of the pod's {@code spec.volumes}. */
  public Result materialize(JsonNode pod, JsonNode volume, VolumeSources sources) {
    String name = volume.path("name").asText();
    String namespace = pod.path("metadata").path("namespace").asText("default");
    try {
      if (volume.has("emptyDir")) {
        return ready(name, worldWritable(podDir(pod, "empty-dir", name)));
      }
      if (volume.has("hostPath")) {
        return hostPath(name, volume.get("hostPath"));
      }
      if (volume.has("persistentVolumeClaim")) {
        return claimed(name, namespace, volume.get("persistentVolumeClaim").path("claimName").asText(), sources);
      }
      if (volume.has("configMap") || volume.has("secret") || volume.has("downwardAPI") || volume.has("projected")) {
        String plugin = volume.has("configMap") ? "configmap" : volume.has("secret") ? "secret"
            : volume.has("downwardAPI") ? "downward-api" : "projected";
        Map<String, AtomicWriter.FileContent> payload = new LinkedHashMap<>();
        Optional<String> problem = payload(pod, volume, sources, payload);
        if (problem.isPresent()) {
          return failed(name, problem.get());
        }
        Path dir = podDir(pod, plugin, name);
        AtomicWriter.write(dir, payload);
        return ready(name, dir);
      }
      return failed(name, "volume type is not supported by this node");
    } catch (IOException | RuntimeException e) {
      return failed(name, e.getMessage());
    }
  }

  /** Removes a pod's own volume directories (not its claims' data, not host paths). */
  public void cleanup(String podUid) throws IOException {
    AtomicWriter.deleteTree(root.resolve("pods").resolve(podUid));
  }

  /**
   * The kubelet's {@code getPVCExtractPV} and {@code getPVSpec}: the claim must exist, not be being deleted and
   * be Bound, and its volume must name it back; then the volume's source is set up.
   */
  private Result claimed(String name, String namespace, String claimName, VolumeSources sources) throws IOException {
    String processing = "error processing PVC " + namespace + "/" + claimName + ": ";
    Optional<JsonNode> found = sources.persistentVolumeClaim(namespace, claimName);
    if (found.isEmpty()) {
      return failed(name, processing + "failed to fetch PVC from API server: persistentvolumeclaims \"" + claimName
          + "\" not found");
    }
    JsonNode claim = found.get();
    if (claim.path("metadata").hasNonNull("deletionTimestamp")) {
      return failed(name, processing + "PVC is being deleted");
    }
    if (!"Bound".equals(claim.path("status").path("phase").asText())) {
      return failed(name, processing + "PVC is not bound");
    }
    String volumeName = claim.path("spec").path("volumeName").asText("");
    Optional<JsonNode> pv = sources.persistentVolume(volumeName);
    if (pv.isEmpty()) {
      return failed(name, processing + "failed to fetch PV " + volumeName + " from API server: persistentvolumes \""
          + volumeName + "\" not found");
    }
    JsonNode spec = pv.get().path("spec");
    JsonNode ref = spec.path("claimRef");
    String claimUid = claim.path("metadata").path("uid").asText("");
    if (!ref.isObject()) {
      return failed(name, processing + "found PV object " + volumeName
          + " but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim");
    }
    if (!claimUid.equals(ref.path("uid").asText(""))) {
      return failed(name, processing + "found PV object " + volumeName + " but its pv.Spec.ClaimRef.UID ("
          + ref.path("uid").asText("") + ") does not point to claim.UID (" + claimUid + ")");
    }
    if (spec.has("hostPath")) {
      return hostPath(name, spec.get("hostPath"));
    }
    if (spec.has("local")) {
      Path path = Path.of(spec.get("local").path("path").asText());
      return Files.exists(path) ? ready(name, path) : failed(name, "path \"" + path + "\" does not exist");
    }
    return ready(name, worldWritable(root.resolve("persistent-volumes").resolve(volumeName)));
  }

  /** emptyDir and claim directories are 0777, as the kubelet makes them, so any runAsUser can write. */
  private static Path worldWritable(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }

  private Path podDir(JsonNode pod, String plugin, String name) {
    return root.resolve("pods").resolve(pod.path("metadata").path("uid").asText())
        .resolve("volumes").resolve("kubernetes.io~" + plugin).resolve(name);
  }

  private static Result ready(String name, Path dir) {
    return new Ready(name, dir);
  }

  private static Result failed(String name, String cause) {
    return new Failed(name, "MountVolume.SetUp failed for volume \"" + name + "\" : " + cause);
  }

  /** Fills {@code payload} for a configMap, secret, downwardAPI or projected volume; answers a problem or empty. */
  private static Optional<String> payload(JsonNode pod, JsonNode volume, VolumeSources sources,
      Map<String, AtomicWriter.FileContent> payload) {
    String namespace = pod.path("metadata").path("namespace").asText("default");
    if (volume.has("projected")) {
      JsonNode projected = volume.get("projected");
      int defaultMode = projected.path("defaultMode").asInt(DEFAULT_MODE);
      for (JsonNode source : projected.path("sources")) {
        Optional<String> problem = source.has("configMap") ? keyed(source.get("configMap"), "configmap", namespace,
                sources, defaultMode, payload)
            : source.has("secret") ? keyed(source.get("secret"), "secret", namespace, sources, defaultMode, payload)
            : source.has("downwardAPI") ? downward(pod, source.get("downwardAPI"), sources, defaultMode, payload)
            : source.has("serviceAccountToken") ? token(pod, source.get("serviceAccountToken"), sources, defaultMode, payload)
            : Optional.of("projected source is not supported by this node: " + source.fieldNames().next());
        if (problem.isPresent()) {
          return problem;
        }
      }
      return Optional.empty();
    }
    if (volume.has("configMap")) {
      JsonNode cm = volume.get("configMap");
      return keyed(cm, "configmap", namespace, sources, cm.path("defaultMode").asInt(DEFAULT_MODE), payload);
    }
    if (volume.has("secret")) {
      JsonNode secret = volume.get("secret");
      return keyed(secret, "secret", namespace, sources, secret.path("defaultMode").asInt(DEFAULT_MODE), payload);
    }
    JsonNode downward = volume.get("downwardAPI");
    return downward(pod, downward, sources, downward.path("defaultMode").asInt(DEFAULT_MODE), payload);
  }

  /** A configMap or secret source: every key as a file, or only the listed items at their paths. */
  private static Optional<String> keyed(JsonNode source, String kind, String namespace, VolumeSources sources,
      int defaultMode, Map<String, AtomicWriter.FileContent> payload) {
    boolean secret = kind.equals("secret");
    String name = secret ? source.path("secretName").asText(source.path("name").asText()) : source.path("name").asText();
    boolean optional = source.path("optional").asBoolean(false);
    Optional<Map<String, byte[]>> data = secret ? sources.secret(namespace, name) : sources.configMap(namespace, name);
    if (data.isEmpty()) {
      return optional ? Optional.empty() : Optional.of(kind + " \"" + name + "\" not found");
    }
    JsonNode items = source.path("items");
    if (items.isEmpty()) {
      data.get().forEach((key, bytes) -> payload.put(key, new AtomicWriter.FileContent(bytes, defaultMode)));
      return Optional.empty();
    }
    for (JsonNode item : items) {
      String key = item.path("key").asText();
      byte[] bytes = data.get().get(key);
      if (bytes == null) {
        if (optional) {
          continue;
        }
        return Optional.of(secret ? "references non-existent secret key: " + key
            : "configmap references non-existent config key: " + key);
      }
      payload.put(item.path("path").asText(key), new AtomicWriter.FileContent(bytes, item.path("mode").asInt(defaultMode)));
    }
    return Optional.empty();
  }

  private static Optional<String> downward(JsonNode pod, JsonNode source, VolumeSources sources, int defaultMode,
      Map<String, AtomicWriter.FileContent> payload) {
    for (JsonNode item : source.path("items")) {
      Optional<String> value;
      if (item.has("fieldRef")) {
        String fieldPath = item.get("fieldRef").path("fieldPath").asText();
        value = DownwardApi.fieldValue(pod, fieldPath);
        if (value.isEmpty()) {
          return Optional.of("unsupported fieldPath: " + fieldPath);
        }
      } else {
        JsonNode ref = item.path("resourceFieldRef");
        value = DownwardApi.resourceValue(pod, ref.path("containerName").asText(), ref.path("resource").asText(),
            ref.path("divisor").asText("1"), sources.nodeAllocatable());
        if (value.isEmpty()) {
          return Optional.of("unsupported resourceFieldRef: " + ref);
        }
      }
      payload.put(item.path("path").asText(),
          new AtomicWriter.FileContent(value.get().getBytes(StandardCharsets.UTF_8), item.path("mode").asInt(defaultMode)));
    }
    return Optional.empty();
  }

  private static Optional<String> token(JsonNode pod, JsonNode source, VolumeSources sources, int defaultMode,
      Map<String, AtomicWriter.FileContent> payload) {
    String account = pod.path("spec").path("serviceAccountName").asText("default");
    Optional<String> token = sources.serviceAccountToken(pod.path("metadata").path("namespace").asText("default"),
        account, source.path("audience").asText(""), source.path("expirationSeconds").asLong(3607));
    if (token.isEmpty()) {
      return Optional.of("failed to fetch token: serviceaccounts \"" + account + "\" not found");
    }
    payload.put(source.path("path").asText("token"),
        new AtomicWriter.FileContent(token.get().getBytes(StandardCharsets.UTF_8), defaultMode));
    return Optional.empty();
  }

  /** hostPath with the kubelet's type checks. */
  private static Result hostPath(String name, JsonNode source) throws IOException {
    Path path = Path.of(source.path("path").asText());
    String type = source.path("type").asText("");
    boolean exists = Files.exists(path);
    switch (type) {
      case "", "Unset" -> {
        return ready(name, path);
      }
      case "DirectoryOrCreate", "Directory" -> {
        if (!exists && type.equals("DirectoryOrCreate")) {
          Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        return Files.isDirectory(path) ? ready(name, path)
            : failed(name, "hostPath type check failed: " + path + " is not a directory");
      }
      case "FileOrCreate", "File" -> {
        if (!exists && type.equals("FileOrCreate") && !Files.isDirectory(path.getParent())) {
          return failed(name, "open " + path + ": no such file or directory");
        }
        if (!exists && type.equals("FileOrCreate")) {
          // Like the kubelet: an empty file, without creating missing parent directories.
          Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        }
        return Files.isRegularFile(path) ? ready(name, path)
            : failed(name, "hostPath type check failed: " + path + " is not a file");
      }
      case "Socket" -> {
        return fileType(path) == 0140000 ? ready(name, path)
            : failed(name, "hostPath type check failed: " + path + " is not a socket file");
      }
      case "CharDevice" -> {
        return fileType(path) == 0020000 ? ready(name, path)
            : failed(name, "hostPath type check failed: " + path + " is not a character device");
      }
      case "BlockDevice" -> {
        return fileType(path) == 0060000 ? ready(name, path)
            : failed(name, "hostPath type check failed: " + path + " is not a block device");
      }
      default -> {
        return failed(name, "hostPath type check failed: unknown type " + type);
      }
    }
  }

  private static int fileType(Path path) {
    try {
      return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
