package io.pekkube.actors.scheduler.plugins.noderesources;

import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import io.pekkube.actors.scheduler.framework.Status.Code;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeResourcesFitTest {
  record Row(String name, PodInfo pod, NodeInfo node, Code code, List<String> reasons) {}

  private static final NodeInfo HALF_FULL = node("n").with(pod("a").requests("cpu", "2", "memory", "4Gi").nodeName("n").build());

  @Test
  void filterTable() {
    List<Row> rows = List.of(
        new Row("fits in what is left", pod("p").requests("cpu", "2", "memory", "4Gi").build(), HALF_FULL, Code.SUCCESS,
            List.of()),
        new Row("no requests always fit", pod("p").build(), HALF_FULL, Code.SUCCESS, List.of()),
        new Row("cpu short of what is left", pod("p").requests("cpu", "2500m").build(), HALF_FULL, Code.UNSCHEDULABLE,
            List.of("Insufficient cpu")),
        new Row("more cpu than the node has at all", pod("p").requests("cpu", "5").build(), HALF_FULL,
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of("Insufficient cpu")),
        new Row("every short resource is a reason", pod("p").requests("cpu", "3", "memory", "5Gi").build(), HALF_FULL,
            Code.UNSCHEDULABLE, List.of("Insufficient cpu", "Insufficient memory")),
        new Row("ephemeral storage", pod("p").requests("ephemeral-storage", "200Gi").build(), HALF_FULL,
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of("Insufficient ephemeral-storage")),
        new Row("an extended resource the node lacks", pod("p").requests("example.com/gpu", "1").build(), HALF_FULL,
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of("Insufficient example.com/gpu")),
        new Row("an extended resource the node has", pod("p").requests("example.com/gpu", "1").build(),
            node("g").allocatable("example.com/gpu", "2").build(), Code.SUCCESS, List.of()),
        new Row("pod count full", pod("p").build(),
            node("full").allocatable("pods", "1").with(pod("a").nodeName("full").build()), Code.UNSCHEDULABLE,
            List.of("Too many pods")),
        new Row("an init container larger than the app containers", pod("p").requests("cpu", "1")
            .initContainer(false, "cpu", "3").build(), HALF_FULL, Code.UNSCHEDULABLE, List.of("Insufficient cpu")),
        new Row("overhead counts", pod("p").requests("cpu", "1900m").overhead("cpu", "200m").build(), HALF_FULL,
            Code.UNSCHEDULABLE, List.of("Insufficient cpu")));
    for (Row r : rows) {
      Status s = NodeResourcesFit.fits(r.pod(), r.node());
      assertEquals(r.code(), s.code(), r.name());
      assertEquals(r.reasons(), s.reasons(), r.name());
    }
  }

  record RequestRow(String name, PodInfo pod, long milliCpu, long memory) {}

  @Test
  void podRequestsAreComputedAsKubernetesDoes() {
    long mi = 1024 * 1024;
    List<RequestRow> rows = List.of(
        new RequestRow("containers add up", pod("p").requests("cpu", "100m", "memory", "100Mi")
            .container("cpu", "200m", "memory", "50Mi").build(), 300, 150 * mi),
        new RequestRow("the largest init container wins when larger", pod("p").requests("cpu", "100m")
            .initContainer(false, "cpu", "500m").initContainer(false, "cpu", "300m").build(), 500, 0),
        new RequestRow("init containers smaller than the sum do not count", pod("p").requests("cpu", "1")
            .initContainer(false, "cpu", "500m").build(), 1000, 0),
        new RequestRow("a sidecar adds to the containers and to later init containers", pod("p").requests("cpu", "1")
            .initContainer(true, "cpu", "200m").initContainer(false, "cpu", "1100m").build(), 1300, 0),
        new RequestRow("limits stand in for absent requests", pod("p").limitsOnly("cpu", "2", "memory", "1Gi").build(),
            2000, 1024 * mi),
        new RequestRow("overhead is added", pod("p").requests("cpu", "1").overhead("cpu", "250m", "memory", "10Mi")
            .build(), 1250, 10 * mi));
    for (RequestRow r : rows) {
      assertEquals(r.milliCpu(), r.pod().requests().milliCpu(), r.name());
      assertEquals(r.memory(), r.pod().requests().memory(), r.name());
      assertEquals(1, r.pod().requests().pods(), r.name());
    }
  }

  @Test
  void scoringTable() {
    Map<String, Long> cpuAndMemory = Map.of("cpu", 1L, "memory", 1L);
    PodInfo p = pod("p").requests("cpu", "1", "memory", "2Gi").build();
    NodeInfo empty = node("e").build();
    // cpu (4-1)/4 = 75, memory (8-2)/8 = 75.
    assertEquals(75, NodeResourcesFit.score(NodeResourcesFit.Strategy.LEAST_ALLOCATED, cpuAndMemory, p, empty));
    assertEquals(25, NodeResourcesFit.score(NodeResourcesFit.Strategy.MOST_ALLOCATED, cpuAndMemory, p, empty));
    // Half full: cpu (4-3)/4 = 25, memory (8-6)/8 = 25.
    assertEquals(25, NodeResourcesFit.score(NodeResourcesFit.Strategy.LEAST_ALLOCATED, cpuAndMemory, p, HALF_FULL));
    assertEquals(75, NodeResourcesFit.score(NodeResourcesFit.Strategy.MOST_ALLOCATED, cpuAndMemory, p, HALF_FULL));
    // A pod without requests is scored as 100m cpu and 200Mi memory: cpu 97 (3900/4000), memory 97.
    assertEquals(97, NodeResourcesFit.score(NodeResourcesFit.Strategy.LEAST_ALLOCATED, cpuAndMemory, pod("z").build(),
        empty));
    // Weights: cpu counts 3 times as much as memory. cpu 25 (3/4 used), memory 75 → (75 + 3·25... )
    PodInfo cpuHeavy = pod("c").requests("cpu", "3", "memory", "2Gi").build();
    assertEquals((25 * 3 + 75) / 4, NodeResourcesFit.score(NodeResourcesFit.Strategy.LEAST_ALLOCATED,
        Map.of("cpu", 3L, "memory", 1L), cpuHeavy, empty));
  }
}
