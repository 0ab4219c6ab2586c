package io.pekkube.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.cluster.settings.NodeSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The node lifecycle controller over real HTTP against an in-process node, with a 3 s grace period and
 * 3 s default tolerations: the test plays the kubelet (a Node, its Lease renewed every 500 ms), falls
 * silent, and watches the node go Unknown and tainted, its pods evicted (marked for graceful deletion:
 * no kubelet is there to finish it) as their tolerations say, and
 * the taints go when the kubelet is back. Cordoning adds and removes the unschedulable taint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeLifecycleApiTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final int GRACE_SECONDS = 3;
  private static final int TOLERATION_SECONDS = 3;
  private Path dir;
  private PekkubeNode node;
  private ApiHttp api;
  private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pekkube-lifecycle-");
    node = PekkubeNode.start(new NodeSettings(dir, "127.0.0.1", 0, ApiContract.freePort(), List.of(),
            List.of("control-plane", "worker"), "embedded", "lifecycle-node"),
        ConfigFactory.parseString("pekko.actor.serialize-messages = on\n"
            + "pekkube.controllers.node-lifecycle.node-monitor-grace-period = " + GRACE_SECONDS + "s\n"
            + "pekkube.controllers.node-lifecycle.node-monitor-period = 250ms\n"
            + "pekkube.admission.default-toleration-seconds = " + TOLERATION_SECONDS));
    api = new ApiHttp(node.apiPort());
  }

  @AfterAll
  void stop() {
    kubelet.shutdownNow();
    if (node != null) {
      ApiContract.closeAndKillContainers(node);
    }
  }

  // ---- the test's kubelet ----

  private void registerNode(String name) {
    assertEquals(201, api.post("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\""
        + name + "\"},\"spec\":{}}").status());
    postReady(name);
    assertEquals(201, api.post("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
        "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"" + name + "\"},"
            + "\"spec\":{\"holderIdentity\":\"" + name + "\",\"leaseDurationSeconds\":40,\"renewTime\":\""
            + microTime() + "\"}}").status());
  }

  /** What a kubelet posts: Ready=True with a fresh heartbeat. */
  private void postReady(String name) {
    JsonNode current = api.get("/api/v1/nodes/" + name).body();
    String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    ApiHttp.Reply r = api.put("/api/v1/nodes/" + name + "/status", "{\"apiVersion\":\"v1\",\"kind\":\"Node\","
        + "\"metadata\":{\"name\":\"" + name + "\",\"resourceVersion\":\"" + current.path("metadata").path("resourceVersion").asText()
        + "\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\","
        + "\"message\":\"kubelet is posting ready status\",\"lastHeartbeatTime\":\"" + now + "\",\"lastTransitionTime\":\""
        + now + "\"}]}}");
    assertEquals(200, r.status(), r.raw());
  }

  private void renewLease(String name) {
    ApiHttp.Reply r = api.send("PATCH", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + name,
        "application/merge-patch+json",
        ("{\"spec\":{\"renewTime\":\"" + microTime() + "\"}}").getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.status(), r.raw());
  }

  private static String microTime() {
    return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString();
  }

  private ScheduledFuture<?> keepRenewing(String name) {
    return kubelet.scheduleWithFixedDelay(() -> renewLease(name), 0, 500, TimeUnit.MILLISECONDS);
  }

  private void boundPod(String ns, String name, String nodeName, String tolerations) {
    ApiHttp.Reply r = api.post("/api/v1/namespaces/" + ns + "/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
        + "\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"nodeName\":\"" + nodeName + "\","
        + (tolerations == null ? "" : "\"tolerations\":" + tolerations + ",")
        + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
    assertEquals(201, r.status(), r.raw());
  }

  private JsonNode nodeObject(String name) {
    return api.get("/api/v1/nodes/" + name).body();
  }

  private static List<String> taints(JsonNode node) {
    List<String> taints = new ArrayList<>();
    node.path("spec").path("taints").forEach(t -> taints.add(t.path("key").asText() + ":" + t.path("effect").asText()));
    return taints;
  }

  private static JsonNode ready(JsonNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /**
   * The eviction's DELETE marked the pod (graceful deletion); no kubelet runs on these nodes to stop it,
   * so it stays Terminating, as in Kubernetes.
   */
  private boolean evicted(String ns, String name) {
    ApiHttp.Reply r = api.get("/api/v1/namespaces/" + ns + "/pods/" + name);
    return r.status() == 200 && r.body().path("metadata").hasNonNull("deletionTimestamp");
  }

  private boolean untouched(String ns, String name) {
    ApiHttp.Reply r = api.get("/api/v1/namespaces/" + ns + "/pods/" + name);
    return r.status() == 200 && !r.body().path("metadata").has("deletionTimestamp");
  }

  // ---- the behaviour ----

  @Test
  void silentNodeIsMarkedUnknownTaintedAndDrainedByTolerationsThenRecovers() {
    String name = "silent-node";
    registerNode(name);
    ScheduledFuture<?> renewing = keepRenewing(name);
    boundPod("default", "defaulted", name, null);
    boundPod("default", "stays", name, "[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
        + "\"effect\":\"NoExecute\"}]");
    JsonNode defaulted = api.get("/api/v1/namespaces/default/pods/defaulted").body();
    assertEquals("[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
        + "\"tolerationSeconds\":3},{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
        + "\"effect\":\"NoExecute\",\"tolerationSeconds\":3}]", defaulted.path("spec").path("tolerations").toString(),
        "admission adds the default tolerations");

    // Renewed well past the grace period, the node stays Ready and untainted.
    await().during(Duration.ofSeconds(GRACE_SECONDS * 2)).atMost(DEADLINE)
        .until(() -> taints(nodeObject(name)).isEmpty() && "True".equals(ready(nodeObject(name)).path("status").asText()));

    renewing.cancel(false);
    Instant silentFrom = Instant.now();
    await().atMost(DEADLINE).until(() -> taints(nodeObject(name)).containsAll(
        List.of("node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule")));
    JsonNode marked = nodeObject(name);
    assertTrue(Duration.between(silentFrom, Instant.now()).toSeconds() >= GRACE_SECONDS - 1,
        "not before the grace period");
    assertEquals("Unknown", ready(marked).path("status").asText());
    assertEquals("NodeStatusUnknown", ready(marked).path("reason").asText());
    assertEquals("Kubelet stopped posting node status.", ready(marked).path("message").asText());
    Instant tainted = Instant.parse(marked.path("spec").path("taints").path(0).path("timeAdded").asText());

    await().atMost(DEADLINE).until(() -> evicted("default", "defaulted"));
    assertEquals(30, api.get("/api/v1/namespaces/default/pods/defaulted").body().path("metadata")
        .path("deletionGracePeriodSeconds").asInt(), "the pod's own grace period");
    assertFalse(Instant.now().isBefore(tainted.plusSeconds(TOLERATION_SECONDS)),
        "the pod was tolerated for its tolerationSeconds first");
    await().during(Duration.ofSeconds(TOLERATION_SECONDS)).atMost(DEADLINE).until(() -> untouched("default", "stays"));

    // The kubelet comes back: it renews its Lease and posts Ready again.
    renewing = keepRenewing(name);
    postReady(name);
    await().atMost(DEADLINE).until(() -> taints(nodeObject(name)).isEmpty());
    assertEquals("True", ready(nodeObject(name)).path("status").asText());
    assertTrue(untouched("default", "stays"));
    renewing.cancel(false);
  }

  @Test
  void podNotToleratingANoExecuteTaintIsDeletedAtOnce() {
    String name = "tainted-node";
    registerNode(name);
    ScheduledFuture<?> renewing = keepRenewing(name);
    boundPod("default", "intolerant", name, null);
    boundPod("default", "tolerant", name, "[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"db\","
        + "\"effect\":\"NoExecute\"}]");
    ApiHttp.Reply r = api.send("PATCH", "/api/v1/nodes/" + name, "application/merge-patch+json",
        "{\"spec\":{\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoExecute\"}]}}"
            .getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.status(), r.raw());
    await().atMost(Duration.ofSeconds(TOLERATION_SECONDS)).until(() -> evicted("default", "intolerant"));
    await().during(Duration.ofSeconds(2)).atMost(DEADLINE).until(() -> untouched("default", "tolerant"));
    renewing.cancel(false);
  }

  @Test
  void cordonedNodeGetsTheUnschedulableTaintAndLosesItWhenUncordoned() {
    String name = "cordoned-node";
    registerNode(name);
    ScheduledFuture<?> renewing = keepRenewing(name);
    for (boolean unschedulable : new boolean[] {true, false}) {
      ApiHttp.Reply r = api.send("PATCH", "/api/v1/nodes/" + name, "application/strategic-merge-patch+json",
          ("{\"spec\":{\"unschedulable\":" + unschedulable + "}}").getBytes(StandardCharsets.UTF_8));
      assertEquals(200, r.status(), r.raw());
      List<String> expected = unschedulable ? List.of("node.kubernetes.io/unschedulable:NoSchedule") : List.of();
      await().atMost(DEADLINE).until(() -> taints(nodeObject(name)).equals(expected));
    }
    renewing.cancel(false);
  }
}
