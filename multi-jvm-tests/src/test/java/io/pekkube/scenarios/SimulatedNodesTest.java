package io.pekkube.scenarios;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.cluster.ApiHttp;
import io.pekkube.fixture.NodeStatus;
import io.pekkube.fixture.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code pekkube agent --simulate 4}: one worker JVM hosts four simulated nodes, each a real kubelet
 * actor with its Node and its Lease in {@code kube-node-lease}, whose pods run on the simulated runtime.
 * The scheduler spreads pods over them, they become Running, and a deleted pod's container stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedNodesTest {
  private static final int NODES = 4;
  private static final int PODS = 12;
  private ServerProcess controlPlane;
  private ServerProcess agent;
  private ApiHttp api;

  @BeforeAll
  void startCluster() throws Exception {
    Path dir = ServerProcess.repositoryRoot().resolve("multi-jvm-tests").resolve("target")
        .resolve("simulated-nodes-" + System.currentTimeMillis());
    int clusterPort = ServerProcess.freePort();
    List<String> seeds = List.of("127.0.0.1:" + clusterPort);
    controlPlane = ServerProcess.clusterMember(dir.resolve("control-plane"), "embedded", "127.0.0.1", clusterPort, seeds)
        .controlPlaneOnly().start();
    api = new ApiHttp(controlPlane.apiPort());
    agent = ServerProcess.agent(dir.resolve("sim"), "embedded", "sim", seeds).simulating(NODES).start();
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void simulatedNodesRegisterRenewTheirLeasesAndRunTheirPods() throws Exception {
    awaitTrue("every simulated Node Ready", 120, () -> {
      for (int i = 0; i < NODES; i++) {
        if (!NodeStatus.ready(api, "sim-sim-" + i).equals("True")) {
          return false;
        }
      }
      return true;
    });
    JsonNode node = api.get("/api/v1/nodes/sim-sim-0").body();
    assertEquals("sim-sim-0", node.path("metadata").path("labels").path("kubernetes.io/hostname").asText(), node.toString());
    ApiHttp.Reply lease = api.get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/sim-sim-0");
    assertEquals(200, lease.status(), lease.raw());
    String renewed = lease.body().path("spec").path("renewTime").asText();
    awaitTrue("the Lease renewed", 30, () -> !api.get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/"
        + "sim-sim-0").body().path("spec").path("renewTime").asText().equals(renewed));

    for (int i = 0; i < PODS; i++) {
      ApiHttp.Reply created = api.post("/api/v1/namespaces/default/pods", "{\"metadata\":{\"name\":\"sim-" + i
          + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"registry.k8s.io/pause:3.10\","
          + "\"resources\":{\"requests\":{\"cpu\":\"500m\"}}}]}}");
      assertEquals(201, created.status(), created.raw());
    }
    awaitTrue("every pod Running", 120, () -> running() == PODS);
    Set<String> nodes = new HashSet<>();
    for (JsonNode p : api.get("/api/v1/namespaces/default/pods").body().path("items")) {
      nodes.add(p.path("spec").path("nodeName").asText());
      assertTrue(p.path("status").path("containerStatuses").path(0).path("state").has("running"), p.toString());
    }
    assertTrue(nodes.size() > 1 && nodes.stream().allMatch(n -> n.startsWith("sim-sim-")),
        "pods not spread over the simulated nodes: " + nodes);

    assertEquals(200, api.delete("/api/v1/namespaces/default/pods/sim-0").status());
    awaitTrue("the deleted pod gone once its container stopped", 60,
        () -> api.get("/api/v1/namespaces/default/pods/sim-0").status() == 404);
    assertEquals(PODS - 1, running());
  }

  private long running() {
    long n = 0;
    for (JsonNode p : api.get("/api/v1/namespaces/default/pods").body().path("items")) {
      n += p.path("status").path("phase").asText().equals("Running") ? 1 : 0;
    }
    return n;
  }

  private static void awaitTrue(String what, int seconds, Callable<Boolean> check) {
    await(what).atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(250)).until(check);
  }
}
