package io.pekkube.node.kubelet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.node.probes.Prober;
import io.pekkube.node.runtime.ProcessRuntime;
import io.pekkube.node.runtime.RuntimeSettings;
import io.pekkube.node.volumes.PodVolumes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link PodWorker} with the real process runtime against an API in memory: volumes set up before
 * the first container starts and bind-mounted at their mountPath, a missing ConfigMap holding the pod
 * back, limits passed to the runtime, and the pod's directories removed with the pod.
 */
class PodWorkerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static InMemoryApi api;
  @TempDir Path dir;
  private ProcessRuntime runtime;
  private PodEnvironment env;
  private Path podsDir;
  private final List<ActorRef<PodWorker.Command>> workers = new java.util.ArrayList<>();

  @BeforeAll
  static void startApi() {
    api = new InMemoryApi();
  }

  @AfterAll
  static void stopApi() {
    api.close();
  }

  @BeforeEach
  void setUp() {
    runtime = new ProcessRuntime(RuntimeSettings.defaults(dir.resolve("runtime")));
    podsDir = dir.resolve("kubelet").resolve("pods");
    env = new PodEnvironment(api.client(), runtime, new Prober(runtime, Executors.newCachedThreadPool()), "n1",
        new EnvResolution.NodeFacts("127.0.0.1", "127.0.0.1", 2000, 4L << 30), podsDir,
        new PodVolumes(podsDir.getParent()), new RestartBackOff(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofMinutes(10)), new RestartBackOff(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofDays(1)), Duration.ofSeconds(1), new LocalPods(),
        PodEnvironment.eventRecorder(api.client(), "n1", Clock.systemUTC()), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    workers.forEach(w -> api.testKit().stop(w));
    // Wait for each stop: a container's state directory goes only once its exit is read, and the
    // temporary directory cannot be removed before.
    runtime.running().forEach(c -> c.stop(Duration.ZERO).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
        .join());
    runtime.close();
  }

  private ActorRef<PodWorker.Command> run(ObjectNode pod) {
    api.put(BuiltinTypes.POD, "default", pod);
    ActorRef<PodWorker.Command> worker = api.testKit().spawn(PodWorker.create(env, List.of()));
    worker.tell(new PodWorker.PodChanged(pod));
    workers.add(worker);
    return worker;
  }

  private ObjectNode pod(String name, String spec) {
    return Json.parseTrusted("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default","uid":"%s"},"spec":%s}"""
        .formatted(name, UUID.randomUUID(), spec));
  }

  private static ObjectNode configMap(String name, String key, String value) {
    ObjectNode cm = Json.parseTrusted("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","namespace":"default"},"data":{}}"""
        .formatted(name));
    ((ObjectNode) cm.path("data")).put(key, value);
    return cm;
  }

  private JsonNode container(String podName) {
    JsonNode status = api.get(BuiltinTypes.POD, "default", podName).path("status").path("containerStatuses");
    return status.isArray() && !status.isEmpty() ? status.get(0) : MissingNode.getInstance();
  }

  private static JsonNode condition(JsonNode pod, String type) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return MissingNode.getInstance();
  }

  /** The Events about the pod with this reason. */
  private static List<JsonNode> events(ObjectNode pod, String reason) {
    return api.ofKind("Event").stream()
        .filter(e -> e.path("involvedObject").path("uid").asText().equals(Json.meta(pod, "uid"))
            && e.path("reason").asText().equals(reason))
        .toList();
  }

  private String log(ObjectNode pod, String container) throws IOException {
    Path logs = podsDir.resolve(Json.meta(pod, "uid")).resolve("logs").resolve(container);
    if (!Files.isDirectory(logs)) {
      return "";
    }
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path f : files.sorted().toList()) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }

  @Test
  void containerReadsItsConfigMapAndSecretVolumesAtTheirMountPaths() throws Exception {
    api.put(BuiltinTypes.CONFIG_MAP, "default", configMap("app-config", "greeting", "hello from a configMap"));
    api.put(BuiltinTypes.SECRET, "default", Json.parseTrusted("""
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"app-secret","namespace":"default"},
         "data":{"password":"czNjcjN0"}}"""));
    String mounts = dir.resolve("mnt").toString();
    ObjectNode pod = pod("reader", """
        {"restartPolicy":"Never","volumes":[{"name":"config","configMap":{"name":"app-config"}},
          {"name":"secret","secret":{"secretName":"app-secret"}},{"name":"scratch","emptyDir":{}}],
         "containers":[{"name":"c","image":"busybox","command":["sh","-c",
           "cat %1$s/config/greeting; echo; cat %1$s/password; echo; echo x > %1$s/scratch/f && echo written"],
          "volumeMounts":[{"name":"config","mountPath":"%1$s/config"},
            {"name":"secret","mountPath":"%1$s/password","subPath":"password"},
            {"name":"scratch","mountPath":"%1$s/scratch","subPath":"sub"}]}]}""".formatted(mounts));
    run(pod);
    await().atMost(DEADLINE).until(() -> container("reader").path("state").has("terminated"));
    String log = log(pod, "c");
    assertEquals("Completed", container("reader").path("state").path("terminated").path("reason").asText(), log);
    assertTrue(log.contains("hello from a configMap"), log);
    assertTrue(log.contains("s3cr3t"), log);
    assertTrue(log.contains("written"), log);
    Path volume = podsDir.resolve(Json.meta(pod, "uid")).resolve("volumes").resolve("kubernetes.io~configmap")
        .resolve("config");
    assertEquals("hello from a configMap", Files.readString(volume.resolve("greeting")));
    for (String reason : List.of("Pulled", "Created", "Started")) {
      assertEquals(1, events(pod, reason).size(), reason);
      JsonNode event = events(pod, reason).get(0);
      assertEquals("spec.containers{c}", event.path("involvedObject").path("fieldPath").asText());
      assertEquals("kubelet", event.path("source").path("component").asText());
      assertEquals("n1", event.path("source").path("host").asText());
      assertEquals("Normal", event.path("type").asText());
    }
    assertEquals("Container image \"busybox\" already present on machine",
        events(pod, "Pulled").get(0).path("message").asText());
    assertEquals("Started container c", events(pod, "Started").get(0).path("message").asText());
    Path scratch = podsDir.resolve(Json.meta(pod, "uid")).resolve("volumes").resolve("kubernetes.io~empty-dir")
        .resolve("scratch");
    assertEquals("x\n", Files.readString(scratch.resolve("sub").resolve("f")), "the subPath made in the emptyDir");
  }

  @Test
  void missingConfigMapVolumeKeepsThePodCreatingUntilTheConfigMapExists() {
    String mounts = dir.resolve("mnt").toString();
    ObjectNode pod = pod("waiting", """
        {"restartPolicy":"Never","volumes":[{"name":"config","configMap":{"name":"late-config"}}],
         "containers":[{"name":"c","image":"busybox","command":["cat","%1$s/greeting"],
          "volumeMounts":[{"name":"config","mountPath":"%1$s"}]}]}""".formatted(mounts));
    run(pod);
    await().atMost(DEADLINE).until(() -> condition(api.get(BuiltinTypes.POD, "default", "waiting"),
        "PodReadyToStartContainers").path("status").asText().equals("False"));
    assertEquals("ContainerCreating", container("waiting").path("state").path("waiting").path("reason").asText());
    // Retried with back-off; the repeats raise the count of one Event instead of writing new ones.
    await().atMost(DEADLINE).until(() -> events(pod, "FailedMount").stream()
        .anyMatch(e -> e.path("count").asInt() >= 2));
    assertEquals(1, events(pod, "FailedMount").size());
    JsonNode failedMount = events(pod, "FailedMount").get(0);
    assertEquals("MountVolume.SetUp failed for volume \"config\" : configmap \"late-config\" not found",
        failedMount.path("message").asText());
    assertEquals("Warning", failedMount.path("type").asText());
    assertFalse(failedMount.path("involvedObject").has("fieldPath"));
    api.put(BuiltinTypes.CONFIG_MAP, "default", configMap("late-config", "greeting", "finally"));
    await().atMost(DEADLINE).until(() -> container("waiting").path("state").has("terminated"));
    assertEquals("Completed", container("waiting").path("state").path("terminated").path("reason").asText());
  }

  @Test
  void missingConfigMapInEnvIsCreateContainerConfigError() {
    ObjectNode pod = pod("env-ref", """
        {"containers":[{"name":"c","image":"busybox","command":["true"],
          "envFrom":[{"configMapRef":{"name":"absent"}}]}]}""");
    run(pod);
    await().atMost(DEADLINE).until(() -> container("env-ref").path("state").path("waiting").path("reason").asText()
        .equals("CreateContainerConfigError"));
    assertEquals("configmap \"absent\" not found",
        container("env-ref").path("state").path("waiting").path("message").asText());
    await().atMost(DEADLINE).until(() -> !events(pod, "Failed").isEmpty());
    assertEquals("Error: configmap \"absent\" not found", events(pod, "Failed").get(0).path("message").asText());
  }

  @Test
  void configMapVolumeIsRewrittenWhenTheConfigMapChanges() throws Exception {
    api.put(BuiltinTypes.CONFIG_MAP, "default", configMap("live", "v", "one"));
    String mounts = dir.resolve("mnt").toString();
    ObjectNode pod = pod("watcher", """
        {"volumes":[{"name":"config","configMap":{"name":"live"}}],
         "containers":[{"name":"c","image":"busybox","command":["sh","-c",
           "while true; do cat %1$s/v; echo; sleep 0.2; done"],
          "volumeMounts":[{"name":"config","mountPath":"%1$s"}]}]}""".formatted(mounts));
    run(pod);
    await().atMost(DEADLINE).until(() -> log(pod, "c").contains("one"));
    api.put(BuiltinTypes.CONFIG_MAP, "default", configMap("live", "v", "two"));
    await().atMost(DEADLINE).until(() -> log(pod, "c").contains("two"));
  }

  @Test
  void memoryLimitKillsTheContainerAsOomKilledWhereTheHostEnforcesIt() {
    ObjectNode pod = pod("hungry", """
        {"restartPolicy":"Never","containers":[{"name":"c","image":"python","command":["python3","-c",
          "b = b'x' * (256 << 20); print('allocated', len(b))"],
          "resources":{"limits":{"memory":"64Mi","cpu":"500m"}}}]}""");
    // No cpu request: the limit is the request (as the API defaults it), so it sets the CPU share too.
    assertEquals(new io.pekkube.node.runtime.ContainerSpec.Limits(64L << 20, 500, 500),
        PodWorker.limits(pod.path("spec").path("containers").get(0)));
    run(pod);
    await().atMost(DEADLINE).until(() -> container("hungry").path("state").has("terminated"));
    JsonNode terminated = container("hungry").path("state").path("terminated");
    if (runtime.enforcement().limits()) {
      assertEquals("OOMKilled", terminated.path("reason").asText(), terminated.toString());
      assertEquals(137, terminated.path("exitCode").asInt());
    } else {
      // Only accounted on this host: the runtime says so, and the allocation succeeds.
      assertTrue(runtime.enforcement().note().contains("limits not enforced"), runtime.enforcement().note());
      assertEquals("Completed", terminated.path("reason").asText(), terminated.toString());
    }
  }

  @Test
  void removedPodLeavesNoVolumeDirectoriesButKeepsItsClaimsVolume() {
    String mounts = dir.resolve("mnt").toString();
    Path volumeDir = dir.resolve("local-path").resolve("pvc-1_default_claim");
    api.put(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, "default", Json.parseTrusted("""
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"claim","namespace":"default","uid":"c1"},
         "spec":{"volumeName":"pvc-1"},"status":{"phase":"Bound"}}"""));
    api.put(BuiltinTypes.PERSISTENT_VOLUME, "", Json.parseTrusted("""
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pvc-1"},
         "spec":{"hostPath":{"path":"%s","type":"DirectoryOrCreate"},
                 "claimRef":{"namespace":"default","name":"claim","uid":"c1"}}}""".formatted(volumeDir)));
    ObjectNode pod = pod("removed", """
        {"volumes":[{"name":"scratch","emptyDir":{}},{"name":"data","persistentVolumeClaim":{"claimName":"claim"}}],
         "containers":[{"name":"c","image":"busybox","command":["sh","-c","echo kept > %1$s/data/f; sleep 60"],
          "volumeMounts":[{"name":"scratch","mountPath":"%1$s/scratch"},{"name":"data","mountPath":"%1$s/data"}]}]}"""
        .formatted(mounts));
    ActorRef<PodWorker.Command> worker = run(pod);
    Path podDir = podsDir.resolve(Json.meta(pod, "uid"));
    await().atMost(DEADLINE).until(() -> Files.exists(volumeDir.resolve("f")));
    assertTrue(Files.isDirectory(podDir.resolve("volumes")));
    worker.tell(new PodWorker.PodRemoved());
    await().atMost(DEADLINE).until(() -> !Files.exists(podDir));
    assertTrue(Files.exists(volumeDir.resolve("f")), "the volume's data outlives the pod");
    assertFalse(runtime.running().stream().anyMatch(c -> c.spec().podName().equals("removed")));
  }
}
