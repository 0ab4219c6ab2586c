package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.Json;
import io.pekkube.fixture.Kubectl;
import io.pekkube.fixture.Kubectl.Result;
import io.pekkube.fixture.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl cordon}, {@code uncordon} and {@code drain} with the real kubectl against a real server.
 * Pods are created bound to a Node (no kubelet runs them); the node lifecycle controller is on, with a
 * grace period long enough that the node, which no kubelet renews, stays Ready for the test. There is no
 * disruption controller yet, so the test writes the PodDisruptionBudget's status as that controller would.
 */
class KubectlDrainTest {
  private static final String NODE = "worker-1";
  private static final String NS = "drain-test";
  private static Path work;
  private static ServerProcess server;
  private static Kubectl k;

  @BeforeAll
  static void start() throws Exception {
    work = ServerProcess.repositoryRoot().resolve("multi-jvm-tests").resolve("target")
        .resolve("kubectl-drain-" + System.currentTimeMillis());
    server = ServerProcess.viaLauncherScript(work.resolve("data"), "embedded",
        "-Dpekkube.controllers.node-lifecycle.node-monitor-grace-period=1h");
    k = new Kubectl(Kubectl.require(""), server, work.resolve("kubectl"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static void create(String file, String json) throws Exception {
    Result r = k.run("create", "--validate=false", "-f", k.write(file, json).toString());
    assertEquals(0, r.exit(), r.describe());
  }

  private static String uid(String path) throws Exception {
    return Json.parseTrusted(k.http("GET", path, null, null).body()).path("metadata").path("uid").asText();
  }

  private static void pod(String name, String ownerKind, String ownerName, String ownerUid, String labels, String volumes)
      throws Exception {
    create(name + ".json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"" + NS + "\",\"labels\":" + labels + ",\"ownerReferences\":[{\"apiVersion\":\"apps/v1\","
        + "\"kind\":\"" + ownerKind + "\",\"name\":\"" + ownerName + "\",\"uid\":\"" + ownerUid + "\",\"controller\":true}]},"
        + "\"spec\":{\"nodeName\":\"" + NODE + "\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\""
        + (volumes.isEmpty() ? "" : ",\"volumeMounts\":[{\"name\":\"scratch\",\"mountPath\":\"/scratch\"}]") + "}]"
        + (volumes.isEmpty() ? "" : ",\"volumes\":" + volumes) + "}}");
  }

  private static boolean podExists(String name) throws Exception {
    return k.http("GET", "/api/v1/namespaces/" + NS + "/pods/" + name, null, null).statusCode() == 200;
  }

  private static String nodeStatusColumn() throws Exception {
    Result r = k.run("get", "nodes", NODE, "--no-headers");
    assertEquals(0, r.exit(), r.describe());
    return r.out().trim().split("\\s+")[1];
  }

  private static String taints() throws Exception {
    Result r = k.run("get", "node", NODE, "-o", "jsonpath={.spec.taints}");
    assertEquals(0, r.exit(), r.describe());
    return r.out();
  }

  /** What a kubelet reports once the pod runs (a Pending pod is evicted whatever its budget says). */
  private static void running(String name) throws Exception {
    JsonNode pod = Json.parseTrusted(k.http("GET", "/api/v1/namespaces/" + NS + "/pods/" + name, null, null).body());
    ((com.fasterxml.jackson.databind.node.ObjectNode) pod).putObject("status").put("phase", "Running")
        .putArray("conditions").addObject().put("type", "Ready").put("status", "True");
    var r = k.http("PUT", "/api/v1/namespaces/" + NS + "/pods/" + name + "/status", "application/json", Json.write(pod));
    assertEquals(200, r.statusCode(), r.body());
  }

  /** The budget as the disruption controller would report it: all pods healthy, {@code allowed} disruptions. */
  private static void budgetStatus(int allowed) throws Exception {
    JsonNode pdb = Json.parseTrusted(k.http("GET", "/apis/policy/v1/namespaces/" + NS + "/poddisruptionbudgets/guard",
        null, null).body());
    String body = "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",\"metadata\":{\"name\":\"guard\","
        + "\"namespace\":\"" + NS + "\",\"resourceVersion\":\"" + pdb.path("metadata").path("resourceVersion").asText()
        + "\"},\"status\":{\"observedGeneration\":" + pdb.path("metadata").path("generation").asLong()
        + ",\"disruptionsAllowed\":" + allowed + ",\"currentHealthy\":" + (1 + allowed) + ",\"desiredHealthy\":1,"
        + "\"expectedPods\":" + (1 + allowed) + "}}";
    var r = k.http("PUT", "/apis/policy/v1/namespaces/" + NS + "/poddisruptionbudgets/guard/status",
        "application/json", body);
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void cordonUncordonAndDrainHonouringADisruptionBudget() throws Exception {
    create("ns.json", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}");
    create("node.json", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + NODE + "\"}}");
    var ready = k.http("PUT", "/api/v1/nodes/" + NODE + "/status", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + NODE + "\"},\"status\":{\"conditions\":"
            + "[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\",\"lastHeartbeatTime\":\""
            + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}]}}");
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals("Ready", nodeStatusColumn());

    Result cordon = k.run("cordon", NODE);
    assertEquals(0, cordon.exit(), cordon.describe());
    assertEquals("node/" + NODE + " cordoned", cordon.out().trim());
    assertEquals("Ready,SchedulingDisabled", nodeStatusColumn());
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> taints().contains("node.kubernetes.io/unschedulable"));
    Result uncordon = k.run("uncordon", NODE);
    assertEquals(0, uncordon.exit(), uncordon.describe());
    assertEquals("node/" + NODE + " uncordoned", uncordon.out().trim());
    assertEquals("Ready", nodeStatusColumn());
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !taints().contains("node.kubernetes.io/unschedulable"));

    create("ds.json", "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"agent\",\"namespace\":\""
        + NS + "\"},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"agent\"}},\"template\":{\"metadata\":{\"labels\":"
        + "{\"app\":\"agent\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}");
    create("rs.json", "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"web\",\"namespace\":\""
        + NS + "\"},\"spec\":{\"replicas\":0,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":"
        + "{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}");
    String ds = uid("/apis/apps/v1/namespaces/" + NS + "/daemonsets/agent");
    String rs = uid("/apis/apps/v1/namespaces/" + NS + "/replicasets/web");
    pod("agent-1", "DaemonSet", "agent", ds, "{\"app\":\"agent\"}", "");
    pod("web-1", "ReplicaSet", "web", rs, "{\"app\":\"web\"}", "");
    pod("cache-1", "ReplicaSet", "web", rs, "{\"app\":\"web\"}", "[{\"name\":\"scratch\",\"emptyDir\":{}}]");
    pod("guarded-1", "ReplicaSet", "web", rs, "{\"app\":\"guarded\"}", "");
    running("guarded-1");
    create("pdb.json", "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",\"metadata\":{\"name\":\"guard\","
        + "\"namespace\":\"" + NS + "\"},\"spec\":{\"minAvailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"guarded\"}}}}");
    budgetStatus(0);

    // No kubelet runs on this node to finish a graceful deletion (the evicted pods would stay Terminating
    // and drain would wait for them): --grace-period=0 makes each eviction delete its pod at once.
    Result blocked = k.run("drain", NODE, "--ignore-daemonsets", "--delete-emptydir-data", "--grace-period=0",
        "--timeout=12s");
    assertNotEquals(0, blocked.exit(), blocked.describe());
    String all = blocked.out() + blocked.err();
    assertTrue(all.contains("node/" + NODE + " cordoned"), blocked.describe());
    assertTrue(all.contains("Warning: ignoring DaemonSet-managed Pods: " + NS + "/agent-1"), blocked.describe());
    assertTrue(all.contains("error when evicting pods/\"guarded-1\" -n \"" + NS + "\" (will retry after 5s): "
        + "Cannot evict pod as it would violate the pod's disruption budget."), blocked.describe());
    assertTrue(all.contains("error: unable to drain node \"" + NODE + "\" due to error: error when evicting pods/\"guarded-1\" -n \""
        + NS + "\": global timeout reached: 12s"), blocked.describe());
    assertTrue(all.contains("pod/web-1 evicted") && all.contains("pod/cache-1 evicted"), blocked.describe());
    assertFalse(podExists("web-1"));
    assertFalse(podExists("cache-1"));
    assertTrue(podExists("guarded-1"), "the budget kept it");
    assertTrue(podExists("agent-1"), "DaemonSet pods are ignored");
    assertEquals("Ready,SchedulingDisabled", nodeStatusColumn());

    // The budget now allows one disruption: drain retries and finishes.
    budgetStatus(1);
    Result drained = k.run("drain", NODE, "--ignore-daemonsets", "--delete-emptydir-data", "--grace-period=0",
        "--timeout=30s");
    assertEquals(0, drained.exit(), drained.describe());
    assertTrue(drained.out().contains("pod/guarded-1 evicted"), drained.describe());
    assertTrue(drained.out().contains("node/" + NODE + " drained"), drained.describe());
    assertFalse(podExists("guarded-1"));
    assertTrue(podExists("agent-1"));
  }
}
