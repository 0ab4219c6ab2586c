package io.pekkube.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.actors.pods.PodBoundNotice;
import io.pekkube.cluster.settings.NodeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.FishingOutcome;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scheduler end to end over real HTTP against an in-process node: Nodes registered as a kubelet
 * registers them, pods bound with PodScheduled=True and a Scheduled event, an oversized pod left Pending
 * with Kubernetes' FailedScheduling message until a big enough node joins (an event, well before the
 * 5-minute flush), a pod whose WaitForFirstConsumer claim waits for its local volume bound with the volume to
 * the volume's node (the storage objects' events re-queue it), pods for another scheduler left alone, and the
 * kubelet of the chosen node told of each binding directly ({@link PodBoundNotice}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulerApiTest {
  /** Far below the 5-minute flush of unschedulable pods: only the node event can explain a bind in time. */
  private static final Duration DEADLINE = Duration.ofSeconds(40);
  private PekkubeNode node;
  private ApiHttp api;
  private String ns;

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-sched-");
    node = PekkubeNode.start(new NodeSettings(dir, "127.0.0.1", 0, ApiContract.freePort(), List.of(),
            List.of("control-plane"), "embedded", "sched-node"), // no kubelet: the test's nodes are the only ones
        ConfigFactory.parseString("pekko.actor.serialize-messages = on"));
    api = new ApiHttp(node.apiPort());
    ns = "sched-" + Long.toHexString(System.nanoTime()).substring(6);
    assertEquals(201, api.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
        + ns + "\"}}").status());
    registerNode("n1", "2", "", "");
    registerNode("n2", "2", "", "");
    registerNode("n3", "2", "dedicated", "infra");
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** As a kubelet does: create the Node, then report its capacity, allocatable and Ready condition. */
  private void registerNode(String name, String cpu, String taintKey, String taintValue) {
    String taints = taintKey.isEmpty() ? "" : ",\"spec\":{\"taints\":[{\"key\":\"" + taintKey + "\",\"value\":\""
        + taintValue + "\",\"effect\":\"NoSchedule\"}]}";
    ApiHttp.Reply created = api.post("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\""
        + name + "\",\"labels\":{\"kubernetes.io/hostname\":\"" + name + "\",\"kubernetes.io/os\":\"linux\"}}" + taints + "}");
    assertEquals(201, created.status(), created.raw());
    com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) created.body();
    String resources = "{\"cpu\":\"" + cpu + "\",\"memory\":\"8Gi\",\"pods\":\"110\",\"ephemeral-storage\":\"100Gi\"}";
    n.set("status", io.pekkube.actors.api.Json.parseTrusted("{\"capacity\":" + resources + ",\"allocatable\":" + resources
        + ",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\","
        + "\"message\":\"kubelet is posting ready status\"}]}"));
    ApiHttp.Reply status = api.put("/api/v1/nodes/" + name + "/status", n.toString());
    assertEquals(200, status.status(), status.raw());
  }

  private void createPod(String name, String cpu, String schedulerName) {
    String scheduler = schedulerName.isEmpty() ? "" : "\"schedulerName\":\"" + schedulerName + "\",";
    ApiHttp.Reply r = api.post("/api/v1/namespaces/" + ns + "/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
        + "\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + scheduler + "\"containers\":[{\"name\":\"c\","
        + "\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\"" + cpu + "\",\"memory\":\"64Mi\"}}}]}}");
    assertEquals(201, r.status(), r.raw());
  }

  private JsonNode pod(String name) {
    return api.get("/api/v1/namespaces/" + ns + "/pods/" + name).body();
  }

  private static JsonNode condition(JsonNode pod, String type) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private JsonNode event(String pod, String reason) {
    for (JsonNode e : api.get("/api/v1/namespaces/" + ns + "/events").body().path("items")) {
      if (pod.equals(e.path("involvedObject").path("name").asText()) && reason.equals(e.path("reason").asText())) {
        return e;
      }
    }
    return null;
  }

  private String awaitBound(String name) {
    await(name + " is bound").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
        .until(() -> !pod(name).path("spec").path("nodeName").asText("").isEmpty());
    JsonNode p = pod(name);
    assertEquals("True", condition(p, "PodScheduled").path("status").asText(), p.toString());
    return p.path("spec").path("nodeName").asText();
  }

  @Test
  @Order(1)
  void podsAreBoundToUntaintedNodesWithAScheduledEvent() {
    Set<String> nodes = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      createPod("small-" + i, "100m", "");
    }
    for (int i = 0; i < 4; i++) {
      nodes.add(awaitBound("small-" + i));
    }
    assertFalse(nodes.contains("n3"), "n3's taint is not tolerated");
    assertEquals(Set.of("n1", "n2"), nodes, "LeastAllocated spreads the pods over both free nodes");
    await().atMost(DEADLINE).until(() -> event("small-0", "Scheduled") != null);
    JsonNode scheduled = event("small-0", "Scheduled");
    assertEquals("Successfully assigned " + ns + "/small-0 to " + pod("small-0").path("spec").path("nodeName").asText(),
        scheduled.path("message").asText());
    assertEquals("Normal", scheduled.path("type").asText());
    assertEquals("default-scheduler", scheduled.path("source").path("component").asText());
  }

  @Test
  @Order(2)
  void anOversizedPodWaitsWithKubernetesMessageUntilABigEnoughNodeJoins() {
    createPod("big", "8", "");
    String expected = "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu."
        + " preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    await("big is reported unschedulable").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
        .until(() -> "False".equals(condition(pod("big"), "PodScheduled").path("status").asText()));
    JsonNode c = condition(pod("big"), "PodScheduled");
    assertEquals("Unschedulable", c.path("reason").asText());
    assertEquals(expected, c.path("message").asText());
    assertTrue(pod("big").path("spec").path("nodeName").asText("").isEmpty());
    await().atMost(DEADLINE).until(() -> event("big", "FailedScheduling") != null);
    JsonNode failed = event("big", "FailedScheduling");
    assertEquals(expected, failed.path("message").asText());
    assertEquals("Warning", failed.path("type").asText());

    registerNode("n4", "16", "", "");
    assertEquals("n4", awaitBound("big"));
  }

  @Test
  @Order(3)
  void aPodWithAWaitForFirstConsumerClaimGoesToItsLocalVolumesNodeAndTheClaimGetsTheVolume() {
    ApiHttp.Reply r = api.post("/api/v1/namespaces/" + ns + "/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
        + "\"metadata\":{\"name\":\"db\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"postgres\"}],"
        + "\"volumes\":[{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"db-data\"}}]}}");
    assertEquals(201, r.status(), r.raw());
    await("db is reported unschedulable").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
        .until(() -> condition(pod("db"), "PodScheduled").path("message").asText()
            .contains("nodes are available: persistentvolumeclaim \"db-data\" not found."));

    r = api.post("/apis/storage.k8s.io/v1/storageclasses", "{\"apiVersion\":\"storage.k8s.io/v1\","
        + "\"kind\":\"StorageClass\",\"metadata\":{\"name\":\"local-" + ns + "\"},"
        + "\"provisioner\":\"kubernetes.io/no-provisioner\",\"volumeBindingMode\":\"WaitForFirstConsumer\"}");
    assertEquals(201, r.status(), r.raw());
    r = api.post("/api/v1/persistentvolumes", "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\","
        + "\"metadata\":{\"name\":\"local-pv-" + ns + "\"},\"spec\":{\"capacity\":{\"storage\":\"1Gi\"},"
        + "\"accessModes\":[\"ReadWriteOnce\"],\"storageClassName\":\"local-" + ns + "\","
        + "\"local\":{\"path\":\"/mnt/disks/ssd1\"},\"nodeAffinity\":{\"required\":{\"nodeSelectorTerms\":[{"
        + "\"matchExpressions\":[{\"key\":\"kubernetes.io/hostname\",\"operator\":\"In\",\"values\":[\"n2\"]}]}]}}}}");
    assertEquals(201, r.status(), r.raw());
    r = api.post("/api/v1/namespaces/" + ns + "/persistentvolumeclaims", "{\"apiVersion\":\"v1\","
        + "\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"db-data\"},\"spec\":{"
        + "\"accessModes\":[\"ReadWriteOnce\"],\"storageClassName\":\"local-" + ns + "\","
        + "\"resources\":{\"requests\":{\"storage\":\"500Mi\"}}}}");
    assertEquals(201, r.status(), r.raw());

    assertEquals("n2", awaitBound("db"), "the only node the local volume is reachable from");
    JsonNode pvc = api.get("/api/v1/namespaces/" + ns + "/persistentvolumeclaims/db-data").body();
    assertEquals("local-pv-" + ns, pvc.path("spec").path("volumeName").asText(), pvc.toString());
    assertEquals("Bound", pvc.path("status").path("phase").asText(), pvc.toString());
    JsonNode pv = api.get("/api/v1/persistentvolumes/local-pv-" + ns).body();
    assertEquals("db-data", pv.path("spec").path("claimRef").path("name").asText(), pv.toString());
    assertEquals(pvc.path("metadata").path("uid").asText(), pv.path("spec").path("claimRef").path("uid").asText());
    assertEquals("Bound", pv.path("status").path("phase").asText(), pv.toString());
  }

  @Test
  @Order(4)
  void theBoundNodesKubeletIsToldOfTheBindingThroughTheReceptionist() {
    // Stand-ins for the kubelets of n1 and n2, registered as a kubelet registers (this node runs none).
    TestProbe<PodBoundNotice> kubeletN1 = TestProbe.create("kubelet-n1", node.system());
    TestProbe<PodBoundNotice> kubeletN2 = TestProbe.create("kubelet-n2", node.system());
    registerAsKubeletOf("n1", kubeletN1);
    registerAsKubeletOf("n2", kubeletN2);

    createPinnedPod("to-n1", "n1");
    createPinnedPod("to-n2", "n2");
    // Other tests' pods may be bound meanwhile; a notice of the other node's pod means a wrong address.
    kubeletN1.fishForMessage(DEADLINE, "the notice of to-n1", n -> noticeFor(n, "to-n1", "to-n2"));
    kubeletN2.fishForMessage(DEADLINE, "the notice of to-n2", n -> noticeFor(n, "to-n2", "to-n1"));
    assertEquals("n1", pod("to-n1").path("spec").path("nodeName").asText(), "notified once bound");
    assertEquals("n2", pod("to-n2").path("spec").path("nodeName").asText(), "notified once bound");
  }

  /**
   * Registers {@code kubelet} for the node's notices and waits until the Receptionist lists it: a Find
   * answers from the replicated registry, which shows a registration a moment after it is acknowledged.
   */
  private void registerAsKubeletOf(String nodeName, TestProbe<PodBoundNotice> kubelet) {
    ServiceKey<PodBoundNotice> key = PodBoundNotice.serviceKey(nodeName);
    node.system().receptionist().tell(Receptionist.register(key, kubelet.ref()));
    TestProbe<Receptionist.Listing> listings = TestProbe.create(node.system());
    node.system().receptionist().tell(Receptionist.subscribe(key, listings.ref()));
    listings.fishForMessage(DEADLINE, "the registration of " + kubelet.ref(), l -> l.getServiceInstances(key)
        .contains(kubelet.ref()) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    listings.stop();
  }

  private FishingOutcome noticeFor(PodBoundNotice notice, String expected,
      String elsewhere) {
    if (notice.namespace().equals(ns) && notice.name().equals(expected)) {
      return FishingOutcomes.complete();
    }
    if (notice.namespace().equals(ns) && notice.name().equals(elsewhere)) {
      return FishingOutcomes.fail(elsewhere + " was announced to the wrong node's kubelet");
    }
    return FishingOutcomes.continueAndIgnore();
  }

  private void createPinnedPod(String name, String nodeName) {
    ApiHttp.Reply r = api.post("/api/v1/namespaces/" + ns + "/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
        + "\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"nodeSelector\":{\"kubernetes.io/hostname\":\""
        + nodeName + "\"},\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"resources\":{\"requests\":"
        + "{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}]}}");
    assertEquals(201, r.status(), r.raw());
  }

  @Test
  void podsForAnotherSchedulerAreLeftAlone() {
    createPod("elsewhere", "100m", "other-scheduler");
    createPod("marker", "100m", "");
    awaitBound("marker");
    JsonNode p = pod("elsewhere");
    assertTrue(p.path("spec").path("nodeName").asText("").isEmpty(), p.toString());
    assertTrue(condition(p, "PodScheduled").isMissingNode(), p.toString());
  }
}
