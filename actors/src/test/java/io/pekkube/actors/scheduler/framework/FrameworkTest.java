package io.pekkube.actors.scheduler.framework;

import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.actors.scheduler.Fixtures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class FrameworkTest {

  @Test
  void numFeasibleNodesToFindFollowsKubernetes() {
    int[][] rows = { // percentage, nodes, expected
        {0, 50, 50}, {0, 99, 99}, {0, 100, 100}, {0, 1000, 420}, {0, 5000, 500}, {0, 6000, 300}, {0, 10000, 500},
        {0, 150, 100}, {30, 1000, 300}, {100, 5000, 5000}, {1, 5000, 100}};
    for (int[] r : rows) {
      assertEquals(r[2], Framework.numFeasibleNodesToFind(r[0], r[1]), "percentage " + r[0] + " of " + r[1]);
    }
  }

  @Test
  void picksTheNodeWithTheBestWeightedScore() {
    Framework f = Fixtures.defaultFramework();
    NodeInfo busy = node("busy").with(pod("a").requests("cpu", "3").nodeName("busy").build());
    NodeInfo free = node("free").build();
    NodeInfo tainted = node("soft").taint("x", "y", "PreferNoSchedule").build();
    Framework.Result r = f.schedule(pod("p").requests("cpu", "500m").build(), List.of(busy, free, tainted));
    assertEquals("free", ((Framework.Selected) r).nodeName(), "least allocated, no PreferNoSchedule taint");
    Framework.Result preferred = f.schedule(pod("p").preferred(50, "kubernetes.io/hostname", "In", "busy").build(),
        List.of(busy, free, tainted));
    assertEquals("busy", ((Framework.Selected) preferred).nodeName(), "node affinity weighs twice resources");
  }

  @Test
  void rejectedNodesKeepTheirStatusForTheMessage() {
    Framework f = Fixtures.defaultFramework();
    Framework.Result r = f.schedule(pod("p").requests("cpu", "3").build(), List.of(
        node("a").with(pod("x").requests("cpu", "2").nodeName("a").build()),
        node("b").taint("key", "value", "NoSchedule").build(), node("c").taint("key", "value", "NoExecute").build()));
    FitError e = ((Framework.Unschedulable) r).error();
    assertEquals("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {key: value}.",
        e.message());
  }

  @Test
  void aLargeClusterIsSampledAndTheSampleRotates() {
    Framework f = Fixtures.defaultFramework();
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      nodes.add(node(String.format("n%04d", i)).build());
    }
    Framework.Selected first = (Framework.Selected) f.schedule(pod("p").build(), nodes);
    assertEquals(500, first.evaluated(), "50% - 5000/125 = 10% of the nodes");
    assertEquals(500, first.feasible());
    Set<String> chosen = new HashSet<>();
    chosen.add(first.nodeName());
    for (int i = 0; i < 9; i++) {
      chosen.add(((Framework.Selected) f.schedule(pod("p" + i).build(), nodes)).nodeName());
    }
    assertTrue(chosen.size() > 1, "each cycle starts where the last stopped: " + chosen);
    Framework.Result picky = f.schedule(pod("q").nodeSelector("kubernetes.io/hostname", "n4999").build(), nodes);
    assertEquals("n4999", ((Framework.Selected) picky).nodeName(), "a rare fit is found by scanning on");
  }

  @Test
  void reserveFailuresUndoTheEarlierReservations() {
    List<String> log = new ArrayList<>();
    Plugin.Reserve ok = new Plugin.Reserve() {
      public String name() {
        return "ok";
      }

      public Status reserve(PodInfo pod, String nodeName) {
        log.add("reserve ok");
        return Status.SUCCESS;
      }

      public void unreserve(PodInfo pod, String nodeName) {
        log.add("unreserve ok");
      }
    };
    Plugin.Reserve no = new Plugin.Reserve() {
      public String name() {
        return "no";
      }

      public Status reserve(PodInfo pod, String nodeName) {
        log.add("reserve no");
        return Status.unschedulable("no", "full");
      }

      public void unreserve(PodInfo pod, String nodeName) {
        log.add("unreserve no");
      }
    };
    Framework f = new Framework("p", List.of(ok, no), Map.of(), 0, new Random(1));
    assertEquals(Status.Code.UNSCHEDULABLE, f.runReserve(pod("p").build(), "n").code());
    assertEquals(List.of("reserve ok", "reserve no", "unreserve no", "unreserve ok"), log);
  }
  /** A PreFilter and Filter plugin that logs its calls; its PreFilter answers {@code preFilter}. */
  private static Plugin logging(String name, Status preFilter, List<String> log) {
    return new LoggingPlugin(name, preFilter, log);
  }

  private record LoggingPlugin(String name, Status answer, List<String> log)
      implements Plugin.PreFilter, Plugin.Filter, Plugin.PreBind {
    public Status preFilter(PodInfo pod, Snapshot snapshot) {
      return answer;
    }

    public Status filter(PodInfo pod, NodeInfo node) {
      log.add(name + " filter " + node.name());
      return Status.SUCCESS;
    }

    public CompletionStage<Status> preBind(PodInfo pod, String nodeName) {
      log.add(name + " preBind");
      return CompletableFuture.completedFuture(
          answer.code() == Status.Code.ERROR ? answer : Status.SUCCESS);
    }
  }

  @Test
  void aPreFilterSkipSkipsThatPluginsFilterForThisPodOnly() {
    List<String> log = new ArrayList<>();
    Framework f = new Framework("p", List.of(logging("skipping", Status.SKIP, log), logging("running", Status.SUCCESS, log)),
        Map.of(), 0, new Random(1));
    f.schedule(pod("p").build(), List.of(node("n1").build()));
    assertEquals(List.of("running filter n1"), log);
  }

  @Test
  void preBindRunsInOrderAndStopsAtTheFirstFailure() {
    List<String> log = new ArrayList<>();
    Framework f = new Framework("p", List.of(logging("a", Status.SUCCESS, log), logging("b", Status.error("b", "no"), log),
        logging("c", Status.SUCCESS, log)), Map.of(), 0, new Random(1));
    Status s = f.runPreBind(pod("p").build(), "n1").toCompletableFuture().join();
    assertEquals(List.of("no"), s.reasons());
    assertEquals(List.of("a preBind", "b preBind"), log);
  }
}
