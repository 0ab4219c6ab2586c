package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.cluster.ApiHttp;
import io.pekkube.fixture.NodeStatus;
import io.pekkube.fixture.ReliabilityReport;
import io.pekkube.fixture.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A control-plane JVM and two worker JVMs ({@code pekkube agent}) with real kubelets and the process
 * runtime. One worker is killed with SIGKILL: its Node must go Ready=Unknown after the node monitor's
 * grace period and its pods must be evicted after their tolerationSeconds, while the other worker's
 * pods keep running. The times are measured from the kill.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerLossTest {
  private static final String SUITE = "WorkerLossTest";
  private static final int PODS = 6;
  private ServerProcess controlPlane;
  private final List<ServerProcess> workers = new ArrayList<>();
  private ApiHttp api;

  @BeforeAll
  void startCluster() throws Exception {
    Path dir = ServerProcess.repositoryRoot().resolve("multi-jvm-tests").resolve("target")
        .resolve("worker-loss-" + System.currentTimeMillis());
    int clusterPort = ServerProcess.freePort();
    List<String> seeds = List.of("127.0.0.1:" + clusterPort);
    controlPlane = ServerProcess.clusterMember(dir.resolve("control-plane"), "embedded", "127.0.0.1", clusterPort, seeds)
        .controlPlaneOnly().start();
    api = new ApiHttp(controlPlane.apiPort());
    for (String name : List.of("w1", "w2")) {
      workers.add(ServerProcess.agent(dir.resolve(name), "embedded", name, seeds).start());
    }
  }

  @AfterAll
  void stopCluster() throws Exception {
    ReliabilityReport.write(SUITE);
    for (ServerProcess w : workers) {
      w.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void aKilledWorkersNodeGoesUnknownAndItsPodsAreEvictedWhileTheOtherWorkersPodsRun() throws Exception {
    awaitTrue("both workers' Nodes Ready", 120, () -> NodeStatus.ready(api, "w1").equals("True") && NodeStatus.ready(api, "w2").equals("True"));
    for (int i = 0; i < PODS; i++) {
      ApiHttp.Reply created = api.post("/api/v1/namespaces/default/pods", "{\"metadata\":{\"name\":\"sleeper-" + i
          + "\"},\"spec\":{\"terminationGracePeriodSeconds\":2,\"containers\":[{\"name\":\"c\",\"image\":\"busybox\","
          + "\"command\":[\"sleep\",\"3600\"]}]}}");
      assertEquals(201, created.status(), created.raw());
    }
    awaitTrue("every pod Running", 120, () -> pods(p -> true).values().stream()
        .filter(p -> p.path("status").path("phase").asText().equals("Running")).count() == PODS);
    Map<String, JsonNode> onW1 = pods(p -> p.path("spec").path("nodeName").asText().equals("w1"));
    Map<String, JsonNode> onW2 = pods(p -> p.path("spec").path("nodeName").asText().equals("w2"));
    assertTrue(!onW1.isEmpty() && !onW2.isEmpty(), "the scheduler did not spread the pods: " + onW1.keySet() + " "
        + onW2.keySet());

    workers.get(0).kill9();
    long killedAt = System.nanoTime();
    awaitTrue("node w1 Ready=Unknown", 120, () -> NodeStatus.ready(api, "w1").equals("Unknown"));
    double unknownAfter = (System.nanoTime() - killedAt) / 1e9;
    awaitTrue("w1's pods evicted", 180, () -> onW1.keySet().stream().allMatch(this::evicted));
    double evictedAfter = (System.nanoTime() - killedAt) / 1e9;
    JsonNode w1 = api.get("/api/v1/nodes/w1").body();
    boolean tainted = false;
    for (JsonNode t : w1.path("spec").path("taints")) {
      tainted |= t.path("key").asText().equals("node.kubernetes.io/unreachable");
    }
    assertTrue(tainted, "w1 lacks the unreachable taint: " + w1.path("spec"));
    Map<String, JsonNode> stillOnW2 = pods(p -> p.path("spec").path("nodeName").asText().equals("w2"));
    for (String name : onW2.keySet()) {
      JsonNode pod = stillOnW2.get(name);
      assertTrue(pod != null && !pod.path("metadata").has("deletionTimestamp")
          && pod.path("status").path("phase").asText().equals("Running"), "pod " + name + " on w2 was touched: " + pod);
    }
    ReliabilityReport.record(SUITE, "worker killed with SIGKILL (" + onW1.size() + " of " + PODS + " pods on it); "
        + "defaults: node-monitor-grace-period 20 s, tolerationSeconds 30 s",
        String.format("Node Ready=Unknown %.1f s after the kill; its pods evicted %.1f s after the kill; the other "
            + "worker's %d pods kept running", unknownAfter, evictedAfter, onW2.size()));
  }

  private boolean evicted(String pod) {
    ApiHttp.Reply r = api.get("/api/v1/namespaces/default/pods/" + pod);
    return r.status() == 404 || r.body().path("metadata").has("deletionTimestamp");
  }

  private Map<String, JsonNode> pods(Predicate<JsonNode> which) {
    Map<String, JsonNode> found = new HashMap<>();
    for (JsonNode p : api.get("/api/v1/namespaces/default/pods").body().path("items")) {
      if (which.test(p)) {
        found.put(p.path("metadata").path("name").asText(), p);
      }
    }
    return found;
  }

  private static void awaitTrue(String what, int seconds, Callable<Boolean> check) {
    await(what).atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(250)).until(check);
  }
}
