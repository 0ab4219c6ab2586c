package io.pekkube.actors.scheduler.plugins.nodeports;

import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.PodInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodePortsTest {
  record Row(String name, PodInfo pod, boolean fits) {}

  @Test
  void table() {
    NodeInfo used = node("n").with(pod("a").hostPort(8080, "", "").nodeName("n").build(),
        pod("b").hostPort(9090, "UDP", "10.0.0.1").nodeName("n").build());
    for (Row r : List.of(
        new Row("no host ports", pod("p").build(), true),
        new Row("a free port", pod("p").hostPort(8081, "", "").build(), true),
        new Row("the same TCP port", pod("p").hostPort(8080, "TCP", "").build(), false),
        new Row("the same port over UDP", pod("p").hostPort(8080, "UDP", "").build(), true),
        new Row("the same UDP port on another address", pod("p").hostPort(9090, "UDP", "10.0.0.2").build(), true),
        new Row("the same UDP port on every address", pod("p").hostPort(9090, "UDP", "").build(), false))) {
      assertEquals(r.fits(), NodePorts.fits(r.pod(), used).isSuccess(), r.name());
    }
    assertEquals(List.of("node(s) didn't have free ports for the requested pod ports"),
        NodePorts.fits(pod("p").hostPort(8080, "", "").build(), used).reasons());
  }
}
