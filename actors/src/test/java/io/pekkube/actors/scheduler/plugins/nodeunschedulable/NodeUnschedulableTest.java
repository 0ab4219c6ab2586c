package io.pekkube.actors.scheduler.plugins.nodeunschedulable;

import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeUnschedulableTest {
  record Row(String name, PodInfo pod, NodeInfo node, Status status) {}

  @Test
  void table() {
    Status cordoned = Status.unresolvable(NodeUnschedulable.NAME, "node(s) were unschedulable");
    for (Row r : List.of(
        new Row("a schedulable node", pod("p").build(), node("n").build(), Status.SUCCESS),
        new Row("a cordoned node", pod("p").build(), node("n").unschedulable().build(), cordoned),
        new Row("a pod tolerating the unschedulable taint", pod("p")
            .toleration("node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule").build(),
            node("n").unschedulable().build(), Status.SUCCESS),
        new Row("a pod tolerating everything", pod("p").toleration("", "Exists", "", "").build(),
            node("n").unschedulable().build(), Status.SUCCESS),
        new Row("a toleration of another effect does not help", pod("p")
            .toleration("node.kubernetes.io/unschedulable", "Exists", "", "NoExecute").build(),
            node("n").unschedulable().build(), cordoned))) {
      assertEquals(r.status(), NodeUnschedulable.fits(r.pod(), r.node()), r.name());
    }
  }
}
