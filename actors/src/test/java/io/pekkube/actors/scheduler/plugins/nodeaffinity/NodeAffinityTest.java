package io.pekkube.actors.scheduler.plugins.nodeaffinity;

import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.PodInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeAffinityTest {
  record Row(String name, PodInfo pod, boolean fits) {}

  private static final NodeInfo ZONE_A = node("n1").label("zone", "a").label("cores", "8").build();

  @Test
  void filterTable() {
    for (Row r : List.of(
        new Row("no constraints", pod("p").build(), true),
        new Row("nodeSelector matches", pod("p").nodeSelector("zone", "a").build(), true),
        new Row("nodeSelector value differs", pod("p").nodeSelector("zone", "b").build(), false),
        new Row("nodeSelector label missing", pod("p").nodeSelector("disk", "ssd").build(), false),
        new Row("In", pod("p").requiredTerm("zone", "In", "a", "b").build(), true),
        new Row("NotIn", pod("p").requiredTerm("zone", "NotIn", "a").build(), false),
        new Row("Exists", pod("p").requiredTerm("zone", "Exists").build(), true),
        new Row("DoesNotExist", pod("p").requiredTerm("zone", "DoesNotExist").build(), false),
        new Row("Gt", pod("p").requiredTerm("cores", "Gt", "4").build(), true),
        new Row("Lt", pod("p").requiredTerm("cores", "Lt", "4").build(), false),
        new Row("terms are ORed", pod("p").requiredTerm("zone", "In", "b").requiredTerm("zone", "In", "a").build(), true),
        new Row("matchFields on the node name", pod("p").requiredFieldTerm("n1").build(), true),
        new Row("matchFields on another name", pod("p").requiredFieldTerm("n2").build(), false),
        new Row("nodeSelector and affinity must both hold", pod("p").nodeSelector("zone", "a")
            .requiredTerm("zone", "In", "b").build(), false))) {
      assertEquals(r.fits(), NodeAffinity.fits(r.pod(), ZONE_A).isSuccess(), r.name());
      if (!r.fits()) {
        assertEquals(List.of("node(s) didn't match Pod's node affinity/selector"),
            NodeAffinity.fits(r.pod(), ZONE_A).reasons(), r.name());
      }
    }
  }

  @Test
  void preferredTermsScoreTheirWeightsNormalizedTo100() {
    PodInfo p = pod("p").preferred(10, "zone", "In", "a").preferred(30, "disk", "In", "ssd").build();
    NodeInfo zoneOnly = ZONE_A;
    NodeInfo both = node("n2").label("zone", "a").label("disk", "ssd").build();
    NodeInfo neither = node("n3").build();
    long[] scores = {NodeAffinity.preferredScore(p, zoneOnly), NodeAffinity.preferredScore(p, both),
        NodeAffinity.preferredScore(p, neither)};
    assertArrayEquals(new long[] {10, 40, 0}, scores);
    new NodeAffinity().normalize(scores, 3);
    assertArrayEquals(new long[] {25, 100, 0}, scores);
  }
}
