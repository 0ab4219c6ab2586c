package io.pekkube.actors.scheduler.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FitErrorTest {

  @Test
  void countsReasonsSortsThemAndAppendsThePostFilterMessage() {
    Map<String, Status> statuses = new LinkedHashMap<>();
    statuses.put("n1", Status.unschedulable("NodeResourcesFit", "Insufficient cpu"));
    statuses.put("n2", Status.unresolvable("TaintToleration", "node(s) had untolerated taint {key: value}"));
    statuses.put("n3", Status.unresolvable("TaintToleration", "node(s) had untolerated taint {key: value}"));
    FitError e = new FitError(3, statuses, "", "");
    assertEquals("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {key: value}.",
        e.message());
    assertEquals("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {key: value}."
            + " preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        e.withPostFilterMsg("preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.").message());
  }

  @Test
  void aNodeWithSeveralReasonsCountsEach() {
    FitError e = new FitError(1, Map.of("n1", Status.unschedulable("NodeResourcesFit", "Insufficient cpu",
        "Insufficient memory")), "", "");
    assertEquals("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.", e.message());
  }

  @Test
  void noNodesAtAll() {
    assertEquals("no nodes available to schedule pods", new FitError(0, Map.of(), "", "").message());
  }
}
