package io.pekkube.actors.scheduler.plugins.tainttoleration;

import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaintTolerationTest {
  record Row(String name, PodInfo pod, NodeInfo node, Status status) {}

  @Test
  void filterTable() {
    NodeInfo infra = node("n").taint("dedicated", "infra", "NoSchedule").build();
    Status untolerated = Status.unresolvable(TaintToleration.NAME, "node(s) had untolerated taint {dedicated: infra}");
    for (Row r : List.of(
        new Row("no taints", pod("p").build(), node("n").build(), Status.SUCCESS),
        new Row("an untolerated NoSchedule taint", pod("p").build(), infra, untolerated),
        new Row("Equal with the value", pod("p").toleration("dedicated", "Equal", "infra", "NoSchedule").build(), infra,
            Status.SUCCESS),
        new Row("Equal with another value", pod("p").toleration("dedicated", "Equal", "db", "NoSchedule").build(), infra,
            untolerated),
        new Row("Exists on the key, any effect", pod("p").toleration("dedicated", "Exists", "", "").build(), infra,
            Status.SUCCESS),
        new Row("a toleration for another effect", pod("p").toleration("dedicated", "Exists", "", "NoExecute").build(),
            infra, untolerated),
        new Row("NoExecute filters too", pod("p").build(), node("n").taint("gone", "", "NoExecute").build(),
            Status.unresolvable(TaintToleration.NAME, "node(s) had untolerated taint {gone: }")),
        new Row("PreferNoSchedule does not filter", pod("p").build(),
            node("n").taint("soft", "x", "PreferNoSchedule").build(), Status.SUCCESS))) {
      assertEquals(r.status(), TaintToleration.fits(r.pod(), r.node()), r.name());
    }
  }

  @Test
  void fewerIntolerablePreferNoScheduleTaintsScoreHigher() {
    PodInfo p = pod("p").toleration("a", "Exists", "", "PreferNoSchedule").build();
    NodeInfo clean = node("n1").build();
    NodeInfo tolerated = node("n2").taint("a", "1", "PreferNoSchedule").build();
    NodeInfo one = node("n3").taint("b", "1", "PreferNoSchedule").build();
    NodeInfo two = node("n4").taint("b", "1", "PreferNoSchedule").taint("c", "1", "PreferNoSchedule").build();
    long[] scores = {TaintToleration.intolerablePreferNoSchedule(p, clean),
        TaintToleration.intolerablePreferNoSchedule(p, tolerated), TaintToleration.intolerablePreferNoSchedule(p, one),
        TaintToleration.intolerablePreferNoSchedule(p, two)};
    assertArrayEquals(new long[] {0, 0, 1, 2}, scores);
    new TaintToleration().normalize(scores, 4);
    assertArrayEquals(new long[] {100, 100, 50, 0}, scores);
  }
}
