package io.pekkube.node.volumes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Volume materialisation from already-fetched data, checked on the directories it leaves. */
class PodVolumesTest {
  @TempDir Path dir;

  private final Map<String, Map<String, byte[]>> configMaps = new HashMap<>(Map.of(
      "app-config", Map.of("app.properties", bytes("color=blue"), "log.level", bytes("debug"))));
  private final Map<String, Map<String, byte[]>> secrets = Map.of(
      "creds", Map.of("username", bytes("admin"), "password", bytes("s3cr3t")));

  private final Map<String, JsonNode> claims = new HashMap<>();
  private final Map<String, JsonNode> persistentVolumes = new HashMap<>();

  private final VolumeSources sources = new VolumeSources() {
    @Override
    public Optional<JsonNode> persistentVolumeClaim(String namespace, String name) {
      return namespace.equals("team") ? Optional.ofNullable(claims.get(name)) : Optional.empty();
    }

    @Override
    public Optional<JsonNode> persistentVolume(String name) {
      return Optional.ofNullable(persistentVolumes.get(name));
    }

    @Override
    public Optional<Map<String, byte[]>> configMap(String namespace, String name) {
      return namespace.equals("team") ? Optional.ofNullable(configMaps.get(name)) : Optional.empty();
    }

    @Override
    public Optional<Map<String, byte[]>> secret(String namespace, String name) {
      return namespace.equals("team") ? Optional.ofNullable(secrets.get(name)) : Optional.empty();
    }

    @Override
    public Optional<String> serviceAccountToken(String namespace, String account, String audience, long expiration) {
      return Optional.of("token-for-" + account + "-" + audience);
    }

    @Override
    public Map<String, BigDecimal> nodeAllocatable() {
      return Map.of("cpu", new BigDecimal("4"), "memory", new BigDecimal(8L << 30));
    }
  };

  private static final JsonNode POD = Json.parseTrusted("""
      {"metadata": {"name": "web-0", "namespace": "team", "uid": "1234-abcd",
                    "labels": {"app": "web", "tier": "front\\"end"}, "annotations": {"note": "x"}},
       "spec": {"nodeName": "node-1", "serviceAccountName": "builder",
                "containers": [{"name": "main", "resources": {"limits": {"memory": "64Mi"}, "requests": {"cpu": "250m"}}}]},
       "status": {"podIP": "10.0.0.7"}}""");

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private PodVolumes.Result materialize(String volumeJson) {
    return new PodVolumes(dir.resolve("volumes")).materialize(POD, Json.parseTrusted(volumeJson), sources);
  }

  private Path ready(String volumeJson) {
    return assertInstanceOf(PodVolumes.Ready.class, materialize(volumeJson)).hostPath();
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file);
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void anEmptyDirIsAFreshDirectoryOfThePod() throws IOException {
    Path p = ready("{\"name\": \"scratch\", \"emptyDir\": {\"medium\": \"Memory\"}}");
    assertTrue(Files.isDirectory(p));
    assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    assertEquals(dir.resolve("volumes/pods/1234-abcd/volumes/kubernetes.io~empty-dir/scratch"), p);
  }

  @Test
  void aConfigMapShowsEveryKeyAsAFileThroughTheDataSymlink() throws IOException {
    Path p = ready("{\"name\": \"cfg\", \"configMap\": {\"name\": \"app-config\"}}");
    assertEquals("color=blue", read(p.resolve("app.properties")));
    assertEquals("debug", read(p.resolve("log.level")));
    assertEquals(Path.of("..data", "app.properties"), Files.readSymbolicLink(p.resolve("app.properties")));
    assertTrue(Files.isSymbolicLink(p.resolve("..data")));
    assertEquals("rw-r--r--", mode(p.resolve("app.properties")));
  }

  @Test
  void itemsChooseKeysPathsAndModes() throws IOException {
    Path p = ready("""
        {"name": "cfg", "configMap": {"name": "app-config", "defaultMode": 416,
          "items": [{"key": "log.level", "path": "conf/level.txt", "mode": 256}, {"key": "app.properties", "path": "app"}]}}""");
    assertEquals("debug", read(p.resolve("conf/level.txt")));
    assertEquals("r--------", mode(p.resolve("conf/level.txt")));
    assertEquals("rw-r-----", mode(p.resolve("app")));
    assertFalse(Files.exists(p.resolve("log.level")));
  }

  @Test
  void aSecretIsDecodedWithItsDefaultMode() throws IOException {
    Path p = ready("{\"name\": \"creds\", \"secret\": {\"secretName\": \"creds\", \"defaultMode\": 256}}");
    assertEquals("s3cr3t", read(p.resolve("password")));
    assertEquals("r--------", mode(p.resolve("password")));
    assertTrue(p.toString().contains("kubernetes.io~secret"));
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("{\"name\": \"cfg\", \"configMap\": {\"name\": \"nosuch\"}}",
            "MountVolume.SetUp failed for volume \"cfg\" : configmap \"nosuch\" not found"),
        Arguments.of("{\"name\": \"s\", \"secret\": {\"secretName\": \"nosuch\"}}",
            "MountVolume.SetUp failed for volume \"s\" : secret \"nosuch\" not found"),
        Arguments.of("{\"name\": \"cfg\", \"configMap\": {\"name\": \"app-config\", \"items\": [{\"key\": \"missing\", \"path\": \"m\"}]}}",
            "MountVolume.SetUp failed for volume \"cfg\" : configmap references non-existent config key: missing"),
        Arguments.of("{\"name\": \"s\", \"secret\": {\"secretName\": \"creds\", \"items\": [{\"key\": \"token\", \"path\": \"t\"}]}}",
            "MountVolume.SetUp failed for volume \"s\" : references non-existent secret key: token"),
        Arguments.of("{\"name\": \"d\", \"downwardAPI\": {\"items\": [{\"path\": \"x\", \"fieldRef\": {\"fieldPath\": \"spec.nope\"}}]}}",
            "MountVolume.SetUp failed for volume \"d\" : unsupported fieldPath: spec.nope"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void missingSourcesFailTheMountWithTheKubeletsMessage(String volume, String message) {
    assertEquals(message, assertInstanceOf(PodVolumes.Failed.class, materialize(volume)).message());
  }

  @Test
  void anOptionalMissingSourceIsAnEmptyVolume() throws IOException {
    Path p = ready("{\"name\": \"cfg\", \"configMap\": {\"name\": \"nosuch\", \"optional\": true}}");
    try (var files = Files.list(p)) {
      assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("..")).toList());
    }
  }

  @Test
  void downwardApiWritesFieldsAndResources() throws IOException {
    Path p = ready("""
        {"name": "info", "downwardAPI": {"items": [
          {"path": "name", "fieldRef": {"fieldPath": "metadata.name"}},
          {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
          {"path": "app", "fieldRef": {"fieldPath": "metadata.labels['app']"}},
          {"path": "mem_limit", "resourceFieldRef": {"containerName": "main", "resource": "limits.memory", "divisor": "1Mi"}},
          {"path": "cpu_limit", "resourceFieldRef": {"containerName": "main", "resource": "limits.cpu"}},
          {"path": "cpu_request", "resourceFieldRef": {"containerName": "main", "resource": "requests.cpu", "divisor": "1m"}}]}}""");
    assertEquals("web-0", read(p.resolve("name")));
    assertEquals("app=\"web\"\ntier=\"front\\\"end\"", read(p.resolve("labels")));
    assertEquals("web", read(p.resolve("app")));
    assertEquals("64", read(p.resolve("mem_limit")));
    assertEquals("4", read(p.resolve("cpu_limit")), "an unset limit is the node's allocatable");
    assertEquals("250", read(p.resolve("cpu_request")));
  }

  @Test
  void aProjectedVolumeCombinesItsSources() throws IOException {
    Path p = ready("""
        {"name": "all", "projected": {"defaultMode": 292, "sources": [
          {"configMap": {"name": "app-config", "items": [{"key": "log.level", "path": "level"}]}},
          {"secret": {"name": "creds", "items": [{"key": "username", "path": "user"}]}},
          {"downwardAPI": {"items": [{"path": "ns", "fieldRef": {"fieldPath": "metadata.namespace"}}]}},
          {"serviceAccountToken": {"audience": "api", "path": "token"}}]}}""");
    assertEquals("debug", read(p.resolve("level")));
    assertEquals("admin", read(p.resolve("user")));
    assertEquals("team", read(p.resolve("ns")));
    assertEquals("token-for-builder-api", read(p.resolve("token")));
    assertEquals("r--r--r--", mode(p.resolve("user")));
  }

  @Test
  void anUpdateSwapsTheDataSymlinkAndDropsRemovedKeys() throws IOException {
    String volume = "{\"name\": \"cfg\", \"configMap\": {\"name\": \"app-config\"}}";
    Path p = ready(volume);
    Path before = Files.readSymbolicLink(p.resolve("..data"));
    assertEquals(before, Files.readSymbolicLink(ready(volume).resolve("..data")), "an unchanged payload is not rewritten");

    configMaps.put("app-config", Map.of("app.properties", bytes("color=green")));
    ready(volume);
    assertEquals("color=green", read(p.resolve("app.properties")));
    assertFalse(Files.exists(p.resolve("log.level")), "a removed key disappears");
    assertFalse(Files.exists(p.resolve(before)), "the previous data directory is removed");
    try (var files = Files.list(p)) {
      assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("..") && Files.isDirectory(f)
          && !Files.isSymbolicLink(f)).count());
    }
  }

  /** A claim bound to a volume with {@code source} (the volume's source field, as JSON). */
  private void bound(String claim, String volume, String source) {
    claims.put(claim, Json.parseTrusted("{\"metadata\": {\"name\": \"" + claim + "\", \"uid\": \"uid-" + claim
        + "\"}, \"spec\": {\"volumeName\": \"" + volume + "\"}, \"status\": {\"phase\": \"Bound\"}}"));
    persistentVolumes.put(volume, Json.parseTrusted("{\"metadata\": {\"name\": \"" + volume + "\"}, \"spec\": {"
        + source + ", \"claimRef\": {\"namespace\": \"team\", \"name\": \"" + claim + "\", \"uid\": \"uid-" + claim
        + "\"}}}"));
  }

  @Test
  void aClaimOfAHostPathVolumeIsThatDirectory() throws IOException {
    Path data = dir.resolve("local-path/pvc-1_team_data");
    bound("data", "pvc-1", "\"hostPath\": {\"path\": \"" + data + "\", \"type\": \"DirectoryOrCreate\"}");
    Path p = ready("{\"name\": \"data\", \"persistentVolumeClaim\": {\"claimName\": \"data\"}}");
    assertEquals(data, p);
    assertTrue(Files.isDirectory(data), "DirectoryOrCreate made it");
  }

  @Test
  void aClaimOfALocalVolumeNeedsItsPathToExist() throws IOException {
    Path disk = dir.resolve("disk1");
    bound("data", "local-pv", "\"local\": {\"path\": \"" + disk + "\"}");
    PodVolumes.Failed missing = assertInstanceOf(PodVolumes.Failed.class,
        materialize("{\"name\": \"data\", \"persistentVolumeClaim\": {\"claimName\": \"data\"}}"));
    assertEquals("MountVolume.SetUp failed for volume \"data\" : path \"" + disk + "\" does not exist",
        missing.message());
    Files.createDirectories(disk);
    assertEquals(disk, ready("{\"name\": \"data\", \"persistentVolumeClaim\": {\"claimName\": \"data\"}}"));
  }

  @Test
  void aClaimOfAVolumeThisNodeCannotMountIsANodeLocalDirectoryThatOutlivesThePod() throws IOException {
    bound("data-web-0", "nfs-pv", "\"nfs\": {\"server\": \"nfs.example\", \"path\": \"/exports\"}");
    Path p = ready("{\"name\": \"data\", \"persistentVolumeClaim\": {\"claimName\": \"data-web-0\"}}");
    Files.writeString(p.resolve("kept"), "yes");
    new PodVolumes(dir.resolve("volumes")).cleanup("1234-abcd");
    assertEquals(dir.resolve("volumes/persistent-volumes/nfs-pv"), p);
    assertEquals("yes", read(p.resolve("kept")));
  }

  @Test
  void aClaimThatIsNotBoundOrWhoseVolumeDoesNotNameItIsNotMounted() {
    String volume = "{\"name\": \"data\", \"persistentVolumeClaim\": {\"claimName\": \"data\"}}";
    String prefix = "MountVolume.SetUp failed for volume \"data\" : error processing PVC team/data: ";
    assertEquals(prefix + "failed to fetch PVC from API server: persistentvolumeclaims \"data\" not found",
        assertInstanceOf(PodVolumes.Failed.class, materialize(volume)).message());
    claims.put("data", Json.parseTrusted("{\"metadata\": {\"name\": \"data\", \"uid\": \"u1\"}, \"spec\": {},"
        + " \"status\": {\"phase\": \"Pending\"}}"));
    assertEquals(prefix + "PVC is not bound", assertInstanceOf(PodVolumes.Failed.class, materialize(volume)).message());
    bound("data", "pv1", "\"hostPath\": {\"path\": \"/tmp\"}");
    persistentVolumes.put("pv1", Json.parseTrusted("{\"metadata\": {\"name\": \"pv1\"}, \"spec\": {\"hostPath\": "
        + "{\"path\": \"/tmp\"}, \"claimRef\": {\"namespace\": \"team\", \"name\": \"data\", \"uid\": \"other\"}}}"));
    assertEquals(prefix + "found PV object pv1 but its pv.Spec.ClaimRef.UID (other) does not point to claim.UID "
        + "(uid-data)", assertInstanceOf(PodVolumes.Failed.class, materialize(volume)).message());
    persistentVolumes.remove("pv1");
    assertEquals(prefix + "failed to fetch PV pv1 from API server: persistentvolumes \"pv1\" not found",
        assertInstanceOf(PodVolumes.Failed.class, materialize(volume)).message());
  }

  static Stream<Arguments> hostPaths() {
    return Stream.of(
        // type, what exists at the path ("dir", "file", "none"), expected failure or "" for ready
        Arguments.of("", "none", ""),
        Arguments.of("Directory", "dir", ""),
        Arguments.of("Directory", "file", "is not a directory"),
        Arguments.of("Directory", "none", "is not a directory"),
        Arguments.of("DirectoryOrCreate", "none", ""),
        Arguments.of("DirectoryOrCreate", "file", "is not a directory"),
        Arguments.of("File", "file", ""),
        Arguments.of("File", "dir", "is not a file"),
        Arguments.of("FileOrCreate", "none", ""),
        Arguments.of("FileOrCreate", "dir", "is not a file"),
        Arguments.of("Socket", "file", "is not a socket file"),
        Arguments.of("CharDevice", "file", "is not a character device"),
        Arguments.of("BlockDevice", "dir", "is not a block device"));
  }

  @ParameterizedTest
  @MethodSource("hostPaths")
  void hostPathTypesAreChecked(String type, String existing, String failure) throws IOException {
    Path path = dir.resolve("host").resolve("target");
    Files.createDirectories(path.getParent());
    if (existing.equals("dir")) {
      Files.createDirectory(path);
    } else if (existing.equals("file")) {
      Files.writeString(path, "x");
    }
    PodVolumes.Result result = materialize("{\"name\": \"h\", \"hostPath\": {\"path\": \"" + path + "\", \"type\": \"" + type + "\"}}");
    if (failure.isEmpty()) {
      assertEquals(path, assertInstanceOf(PodVolumes.Ready.class, result).hostPath());
      if (type.equals("DirectoryOrCreate")) {
        assertTrue(Files.isDirectory(path));
      }
      if (type.equals("FileOrCreate")) {
        assertTrue(Files.isRegularFile(path));
      }
    } else {
      assertEquals("MountVolume.SetUp failed for volume \"h\" : hostPath type check failed: " + path + " " + failure,
          assertInstanceOf(PodVolumes.Failed.class, result).message());
    }
  }

  @Test
  void aCharacterDeviceIsRecognised() {
    assertInstanceOf(PodVolumes.Ready.class,
        materialize("{\"name\": \"h\", \"hostPath\": {\"path\": \"/dev/null\", \"type\": \"CharDevice\"}}"));
  }
}
