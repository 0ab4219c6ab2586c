package io.pekkube.scenarios;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.cluster.ApiHttp;
import io.pekkube.fixture.LoopbackFirewall;
import io.pekkube.fixture.NodeStatus;
import io.pekkube.fixture.ReliabilityReport;
import io.pekkube.fixture.ServerProcess;
import io.pekkube.fixture.WriteLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One control-plane JVM ({@code --roles control-plane}) and one agent, cut apart with iptables. The
 * split-brain resolver counts control-plane members only, so the control plane keeps taking writes and
 * the agent is the one downed: its JVM exits with the code of a node the cluster removed. The agent's
 * cluster address is the lower one on purpose: counting every member, the partition was a tie of one
 * against one that the lowest address won, and the control plane was downed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentPartitionTest {
  private static final String SUITE = "AgentPartitionTest";
  /** Below the control plane's address in Pekko's address order (host first). */
  private static final String AGENT_HOST = "127.0.0.11";
  private static final String CONTROL_PLANE_HOST = "127.0.0.12";
  /** {@code NodeLifetime.REMOVED_FROM_CLUSTER}: the exit of a JVM the split-brain resolver downed. */
  private static final int REMOVED_FROM_CLUSTER = 3;
  private ServerProcess controlPlane;
  private ServerProcess agent;
  private ApiHttp api;

  @BeforeAll
  void startCluster() throws Exception {
    Path dir = ServerProcess.repositoryRoot().resolve("multi-jvm-tests").resolve("target")
        .resolve("agent-partition-" + System.currentTimeMillis());
    int clusterPort = ServerProcess.freePort();
    List<String> seeds = List.of(CONTROL_PLANE_HOST + ":" + clusterPort);
    controlPlane = ServerProcess.clusterMember(dir.resolve("control-plane"), "embedded", CONTROL_PLANE_HOST,
        clusterPort, seeds).controlPlaneOnly().start();
    api = new ApiHttp(controlPlane.apiPort());
    agent = ServerProcess.agent(dir.resolve("w1"), "embedded", "w1", AGENT_HOST, ServerProcess.freePort(), seeds)
        .start();
  }

  @AfterAll
  void stopCluster() throws Exception {
    ReliabilityReport.write(SUITE);
    try {
      LoopbackFirewall.clear();
    } finally {
      for (ServerProcess p : new ServerProcess[] {agent, controlPlane}) {
        if (p != null) {
          p.close();
        }
      }
    }
  }

  @Test
  void cutOffFromItsAgentTheControlPlaneKeepsTakingWritesAndTheAgentIsDowned() throws Exception {
    await("the agent's Node Ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
        .until(() -> NodeStatus.ready(api, "w1").equals("True"));
    WriteLoad load = new WriteLoad(controlPlane.url(), "default", 2, 100_000);
    awaitAcknowledged(load, 50);

    LoopbackFirewall.dropTo(AGENT_HOST, agent.clusterPort());
    long partitionedAt = System.nanoTime();
    await("one side downed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .until(() -> !agent.isAlive() || !controlPlane.isAlive());
    double downedAfter = (System.nanoTime() - partitionedAt) / 1e9;
    assertTrue(controlPlane.isAlive(), "the control plane went down:\n" + controlPlane.tail());
    assertEquals(REMOVED_FROM_CLUSTER, agent.exitValue(), "the agent did not exit as a removed node:\n" + agent.tail());

    int atDowning = load.acknowledgedCount();
    awaitAcknowledged(load, atDowning + 100);
    load.stopAndWait();
    assertEquals(200, api.get("/readyz").status(), "the control plane is not ready");
    Set<String> lost = new HashSet<>(load.acknowledged());
    lost.removeAll(WriteLoad.listNames(controlPlane.url(), "default"));
    ReliabilityReport.record(SUITE, "a control-plane server and an agent (the lower address) partitioned "
        + "(iptables on the agent's cluster address), writers on the control plane",
        String.format("agent downed by the split-brain resolver (its JVM exited) %.1f s after the partition; the "
            + "control plane stayed up and acknowledged %d writes (%d after the agent was downed), %d failed, "
            + "**lost %d**", downedAfter, load.acknowledgedCount(), load.acknowledgedCount() - atDowning,
            load.failures(), lost.size()));
    assertTrue(lost.isEmpty(), "acknowledged writes lost: " + lost);
  }

  private static void awaitAcknowledged(WriteLoad load, int count) {
    await(count + " writes acknowledged").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
        .until(() -> load.acknowledgedCount() >= count);
  }
}
