package io.pekkube.actors.scheduler.plugins.nodename;

import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeNameTest {
  record Row(String name, PodInfo pod, String node, Status.Code code) {}

  @Test
  void table() {
    for (Row r : List.of(
        new Row("no name fits anywhere", pod("p").build(), "n1", Status.Code.SUCCESS),
        new Row("the named node", pod("p").nodeName("n1").build(), "n1", Status.Code.SUCCESS),
        new Row("another node", pod("p").nodeName("n2").build(), "n1", Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE))) {
      Status s = NodeName.fits(r.pod(), node(r.node()).build());
      assertEquals(r.code(), s.code(), r.name());
      if (!s.isSuccess()) {
        assertEquals(List.of("node(s) didn't match the requested node name"), s.reasons());
      }
    }
  }
}
