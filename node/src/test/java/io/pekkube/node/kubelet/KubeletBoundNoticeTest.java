package io.pekkube.node.kubelet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.pods.PodBoundNotice;
import io.pekkube.node.probes.Prober;
import io.pekkube.node.runtime.SimulatedRuntime;
import io.pekkube.node.volumes.PodVolumes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubelet acts on the scheduler's {@link PodBoundNotice}: its pod watch here never reports anything
 * (the in-memory API watches nothing, and its list is held back), so a pod bound to its node starts only
 * because the notice, found and sent through the Receptionist as the scheduler sends it, made the kubelet
 * read the pod; and a list older than that read does not stop it.
 */
class KubeletBoundNoticeTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String NODE = "n1";
  @TempDir Path dir;
  private InMemoryApi api;
  private SimulatedRuntime runtime;
  private ExecutorService probes;

  @BeforeEach
  void startKubelet() {
    api = new InMemoryApi();
    api.holdLists();
    runtime = new SimulatedRuntime(Duration.ZERO);
    probes = Executors.newCachedThreadPool();
    Path podsDir = dir.resolve("pods");
    PodEnvironment env = new PodEnvironment(api.client(), runtime, new Prober(runtime, probes), NODE,
        new EnvResolution.NodeFacts("127.0.0.1", "127.0.0.1", 4000, 16L << 30), podsDir, new PodVolumes(dir),
        new RestartBackOff(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(10)),
        new RestartBackOff(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofDays(1)), Duration.ofSeconds(1),
        new LocalPods(), PodEnvironment.eventRecorder(api.client(), NODE, Clock.systemUTC()), Clock.systemUTC());
    NodeResources resources = new NodeResources(4000, 16L << 30, 100L << 30, 110, 16L << 30, 100L << 30);
    api.testKit().spawn(Kubelet.create(env,
        new NodeObjects.Identity(NODE, "127.0.0.1", NODE, 10250, "v1.31.0", "pekkube://simulated", ""),
        () -> resources,
        new NodeHeartbeat.Timing(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofSeconds(40),
            Duration.ofSeconds(10))), "kubelet-" + NODE);
  }

  @AfterEach
  void stop() {
    api.releaseLists();
    api.releaseGets();
    api.close();
    runtime.close();
    probes.shutdownNow();
  }

  @Test
  void aPodBoundHereStartsOnTheSchedulersNoticeThoughItsWatchReportsNothing() {
    String uid = UUID.randomUUID().toString();
    api.put(BuiltinTypes.POD, "default", Json.parseTrusted("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"noticed","namespace":"default","uid":"%s"},
         "spec":{"nodeName":"%s","containers":[{"name":"c","image":"busybox","command":["sleep","3600"]}]}}"""
        .formatted(uid, NODE)));

    kubeletsOf(NODE).forEach(kubelet -> kubelet.tell(new PodBoundNotice("default", "noticed")));

    await("the pod runs").atMost(DEADLINE).until(() -> "Running".equals(
        api.get(BuiltinTypes.POD, "default", "noticed").path("status").path("phase").asText()));
    assertTrue(runtime.running().stream().anyMatch(c -> c.spec().podUid().equals(uid)), "no container of the pod runs");
  }

  @Test
  void aListTakenBeforeTheNoticesReadDoesNotStopThePod() {
    String uid = UUID.randomUUID().toString();
    api.put(BuiltinTypes.POD, "default", Json.parseTrusted("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"newer","namespace":"default","uid":"%s","resourceVersion":"5"},
         "spec":{"nodeName":"%s","containers":[{"name":"c","image":"busybox","command":["sleep","3600"]}]}}"""
        .formatted(uid, NODE)));
    kubeletsOf(NODE).forEach(kubelet -> kubelet.tell(new PodBoundNotice("default", "newer")));
    await("the pod runs").atMost(DEADLINE).until(() -> runsContainerOf(uid));

    // The kubelet's pod list (empty, as of revision 1) arrives only now, older than the pod it read.
    api.releaseLists();

    await("the pod keeps running").during(Duration.ofSeconds(3)).atMost(DEADLINE).until(() -> runsContainerOf(uid));
  }

  @Test
  void aNoticesReadAnsweredAfterThePodsDeletionDoesNotStartItAgain() {
    api.releaseLists();
    await("the kubelet watches its pods").atMost(DEADLINE).until(() -> api.watchCount() > 0);
    String uid = UUID.randomUUID().toString();
    var pod = Json.parseTrusted("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"raced","namespace":"default","uid":"%s","resourceVersion":"5"},
         "spec":{"nodeName":"%s","containers":[{"name":"c","image":"busybox","command":["sleep","3600"]}]}}"""
        .formatted(uid, NODE));
    api.put(BuiltinTypes.POD, "default", pod);
    api.announce("ADDED", pod, 5);
    await("the pod runs").atMost(DEADLINE).until(() -> runsContainerOf(uid));

    // The scheduler's notice makes the kubelet read the pod; the read is answered only after the deletion.
    api.holdGets();
    int readsBefore = api.readsOf(BuiltinTypes.POD, "default", "raced");
    kubeletsOf(NODE).forEach(kubelet -> kubelet.tell(new PodBoundNotice("default", "raced")));
    await("the notice's read").atMost(DEADLINE).until(() -> api.readsOf(BuiltinTypes.POD, "default", "raced") > readsBefore);
    api.remove(BuiltinTypes.POD, "default", "raced");
    api.announce("DELETED", pod, 6);
    // Once the worker has stopped, the kubelet learns it before the read's answer, which comes later.
    await("the deleted pod's worker stops").atMost(DEADLINE).until(() -> !runsContainerOf(uid) && !workerExists(uid));
    int writesBefore = api.writesOf(BuiltinTypes.POD, "default", "raced");
    api.releaseGets();

    // A worker started for the deleted pod would write its status (and start its containers, racing that
    // write's 404); none may.
    await("the deleted pod stays stopped").during(Duration.ofSeconds(3)).atMost(DEADLINE)
        .until(() -> !runsContainerOf(uid));
    assertEquals(writesBefore, api.writesOf(BuiltinTypes.POD, "default", "raced"), "a worker ran for the deleted pod");
  }

  /** Whether the kubelet's worker actor for the pod is alive. */
  private boolean workerExists(String podUid) {
    try {
      Adapter.toClassic(api.testKit().system()).actorSelection("/user/kubelet-" + NODE + "/pod-" + podUid)
          .resolveOne(Duration.ofMillis(500)).toCompletableFuture().get();
      return true;
    } catch (Exception notFound) {
      return false;
    }
  }

  private boolean runsContainerOf(String podUid) {
    return runtime.running().stream().anyMatch(c -> c.spec().podUid().equals(podUid));
  }

  /** The kubelets registered for the node's notices, once the Receptionist lists one. */
  private Set<ActorRef<PodBoundNotice>> kubeletsOf(String nodeName) {
    ServiceKey<PodBoundNotice> key = PodBoundNotice.serviceKey(nodeName);
    TestProbe<Receptionist.Listing> listings = api.testKit().createTestProbe();
    api.testKit().system().receptionist().tell(Receptionist.subscribe(key, listings.ref()));
    List<Receptionist.Listing> seen = listings.fishForMessage(DEADLINE, "a kubelet registered for " + nodeName,
        l -> l.getServiceInstances(key).isEmpty() ? FishingOutcomes.continueAndIgnore() : FishingOutcomes.complete());
    Set<ActorRef<PodBoundNotice>> kubelets = seen.get(seen.size() - 1).getServiceInstances(key);
    assertEquals(1, kubelets.size(), "one kubelet per node");
    return kubelets;
  }
}
