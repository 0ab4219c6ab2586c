package io.pekkube.actors.scheduler.plugins.podtopologyspread;

import static io.pekkube.actors.scheduler.Fixtures.constraint;
import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.scheduler.Fixtures;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.LabelSelector;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Snapshot;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTopologySpreadTest {
  private static final String ZONE = "topology.kubernetes.io/zone";
  private static final String HOST = "kubernetes.io/hostname";
  private static final String SKEW = "node(s) didn't match pod topology spread constraints";
  private static final String MISSING = "node(s) didn't match pod topology spread constraints (missing required label)";

  /** Expected per node: "" fits, else the reason. */
  record Row(String name, PodInfo pod, String n1, String n2, String n3) {}

  private static PodInfo web(String name, String node) {
    return pod(name).label("app", "web").nodeName(node).build();
  }

  /** Two web pods on n1 (zone a), none on n2 (zone a) and n3 (zone b, tainted), plus pods that do not count. */
  private static List<NodeInfo> cluster() {
    return List.of(
        node("n1").label(ZONE, "a").with(web("w1", "n1"), web("w2", "n1")),
        node("n2").label(ZONE, "a").with(pod("elsewhere").namespace("other").label("app", "web").nodeName("n2").build(),
            pod("leaving").label("app", "web").terminating().nodeName("n2").build()),
        node("n3").label(ZONE, "b").taint("dedicated", "x", "NoSchedule").build());
  }

  @Test
  void filterTable() {
    ObjectNode minDomains3 = constraint(1, ZONE, "DoNotSchedule", "app", "web").put("minDomains", 3);
    ObjectNode ignoreAffinity = constraint(1, ZONE, "DoNotSchedule", "app", "web").put("nodeAffinityPolicy", "Ignore");
    ObjectNode honorTaints = constraint(1, ZONE, "DoNotSchedule", "app", "web").put("nodeTaintsPolicy", "Honor");
    ObjectNode sameVersion = constraint(1, HOST, "DoNotSchedule", "app", "web");
    sameVersion.putArray("matchLabelKeys").add("version");
    for (Row r : List.of(
        new Row("no constraints", pod("p").label("app", "web").build(), "", "", ""),
        new Row("zone skew 1: zone a has 2, b has 0", pod("p").label("app", "web")
            .spread(constraint(1, ZONE, "DoNotSchedule", "app", "web")).build(), SKEW, SKEW, ""),
        new Row("host skew 1: only n1 is ahead", pod("p").label("app", "web")
            .spread(constraint(1, HOST, "DoNotSchedule", "app", "web")).build(), SKEW, "", ""),
        new Row("zone skew 3 allows 2 + 1", pod("p").label("app", "web")
            .spread(constraint(3, ZONE, "DoNotSchedule", "app", "web")).build(), "", "", ""),
        new Row("a pod the selector does not pick adds no skew", pod("p")
            .spread(constraint(2, ZONE, "DoNotSchedule", "app", "web")).build(), "", "", ""),
        new Row("ScheduleAnyway does not filter", pod("p").label("app", "web")
            .spread(constraint(1, ZONE, "ScheduleAnyway", "app", "web")).build(), "", "", ""),
        new Row("a node without the key is out", pod("p").label("app", "web")
            .spread(constraint(5, "rack", "DoNotSchedule", "app", "web")).build(), MISSING, MISSING, MISSING),
        new Row("nodeAffinityPolicy Honor: only zone a is a domain, its minimum is 2", pod("p").label("app", "web")
            .nodeSelector(ZONE, "a").spread(constraint(1, ZONE, "DoNotSchedule", "app", "web")).build(), "", "", ""),
        new Row("nodeAffinityPolicy Ignore: zone b counts with 0", pod("p").label("app", "web")
            .nodeSelector(ZONE, "a").spread(ignoreAffinity).build(), SKEW, SKEW, ""),
        new Row("nodeTaintsPolicy Honor: the tainted zone b is no domain", pod("p").label("app", "web")
            .spread(honorTaints).build(), "", "", ""),
        new Row("nodeTaintsPolicy Honor, tolerated: zone b counts", pod("p").label("app", "web")
            .toleration("dedicated", "Equal", "x", "NoSchedule").spread(honorTaints).build(), SKEW, SKEW, ""),
        new Row("matchLabelKeys: other versions do not count", pod("p").label("app", "web").label("version", "v2")
            .spread(sameVersion).build(), "", "", ""))) {
      List<NodeInfo> nodes = cluster();
      PodTopologySpread.FilterState state = PodTopologySpread.preFilterState(r.pod(), Snapshot.of(nodes));
      String[] expected = {r.n1(), r.n2(), r.n3()};
      for (int i = 0; i < 3; i++) {
        Status s = PodTopologySpread.fits(state, nodes.get(i));
        assertEquals(expected[i].isEmpty() ? List.of() : List.of(expected[i]), s.reasons(), r.name() + " on n" + (i + 1));
        if (!expected[i].isEmpty()) {
          assertEquals(expected[i].equals(MISSING) ? Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE : Status.Code.UNSCHEDULABLE,
              s.code(), r.name());
        }
      }
    }
  }

  @Test
  void minDomainsTreatsTheMinimumAsZeroWhileDomainsAreFewer() {
    List<NodeInfo> nodes = List.of(node("n1").label(ZONE, "a").with(web("w1", "n1")),
        node("n2").label(ZONE, "b").with(web("w2", "n2")));
    PodInfo one = pod("p").label("app", "web").spread(constraint(1, ZONE, "DoNotSchedule", "app", "web")).build();
    assertTrue(PodTopologySpread.fits(PodTopologySpread.preFilterState(one, Snapshot.of(nodes)), nodes.get(0)).isSuccess(),
        "1 + 1 - 1 <= 1");
    PodInfo three = pod("p").label("app", "web")
        .spread(constraint(1, ZONE, "DoNotSchedule", "app", "web").put("minDomains", 3)).build();
    assertEquals(List.of(SKEW), PodTopologySpread.fits(PodTopologySpread.preFilterState(three, Snapshot.of(nodes)),
        nodes.get(0)).reasons(), "2 domains < minDomains 3: 1 + 1 - 0 > 1");
  }

  @Test
  void fitErrorCountsTheReasonsAsKubernetesDoes() {
    Framework f = Fixtures.defaultFramework();
    List<NodeInfo> nodes = List.of(node("n1").label(ZONE, "a").with(web("w1", "n1"), web("w2", "n1")),
        node("n2").label(ZONE, "b").taint("k", "v", "NoSchedule").build(), node("n3").build());
    PodInfo p = pod("p").label("app", "web").spread(constraint(1, ZONE, "DoNotSchedule", "app", "web")).build();
    assertEquals("0/3 nodes are available: 1 node(s) didn't match pod topology spread constraints, 1 node(s) didn't "
        + "match pod topology spread constraints (missing required label), 1 node(s) had untolerated taint {k: v}.",
        ((Framework.Unschedulable) f.schedule(p, nodes)).error().message());
  }

  @Test
  void preemptionCountsTheVictimsOut() {
    Framework f = Fixtures.defaultFramework();
    List<NodeInfo> nodes = List.of(
        node("n1").label(ZONE, "a").with(pod("w1").label("app", "web").priority(0).nodeName("n1").build(),
            pod("w2").label("app", "web").priority(0).nodeName("n1").build()),
        node("n2").label(ZONE, "b").with(pod("big").priority(1000).requests("cpu", "4").nodeName("n2").build()));
    PodInfo p = pod("p").label("app", "web").priority(100).requests("cpu", "4")
        .spread(constraint(2, ZONE, "DoNotSchedule", "app", "web")).build();
    Framework.Unschedulable r = (Framework.Unschedulable) f.schedule(p, nodes);
    var post = f.runPostFilters(p, r.error().nodeStatuses(), nodes);
    assertEquals("n1", post.nominatedNode(), r.error().message());
    assertEquals(1, post.victims().size(), "zone a at 1 after one eviction: 1 + 1 - 0 <= 2 with zone b at 0");
  }

  @Test
  void systemDefaultsSpreadAReplicaSetsPodsOverZonesAndHosts() {
    List<NodeInfo> nodes = List.of(
        node("n1").label(ZONE, "a").with(sibling("s1", "n1"), sibling("s2", "n1")),
        node("n2").label(ZONE, "a").build(),
        node("n3").label(ZONE, "b").build());
    PodInfo p = pod("p").label("app", "web").label("pod-template-hash", "h").controlledBy("apps/v1", "ReplicaSet").build();
    PodTopologySpread.ScoreState state = PodTopologySpread.preScoreState(p, nodes, Snapshot.of(nodes));
    long[] scores = new long[3];
    for (int i = 0; i < 3; i++) {
      scores[i] = PodTopologySpread.scoreNode(state, nodes.get(i));
    }
    // zone: count × ln(2 domains + 2) + (5 - 1); host: count × ln(3 nodes + 2) + (3 - 1)
    assertArrayEquals(new long[] {12, 9, 6}, scores);
    PodTopologySpread.normalizeScores(scores, 3);
    assertArrayEquals(new long[] {50, 75, 100}, scores);
  }

  private static PodInfo sibling(String name, String node) {
    return pod(name).label("app", "web").label("pod-template-hash", "h").controlledBy("apps/v1", "ReplicaSet")
        .nodeName(node).build();
  }

  @Test
  void defaultsNeedASpreadingOwnerAndLeaveThePerPodLabelsOut() {
    PodInfo bare = pod("p").label("app", "web").build();
    assertTrue(PodTopologySpread.constraints(bare, false).isEmpty(), "no owner: no default constraints");
    PodInfo job = pod("p").label("app", "web").controlledBy("batch/v1", "Job").build();
    assertTrue(PodTopologySpread.constraints(job, false).isEmpty(), "Kubernetes spreads only Service/RC/RS/StatefulSet pods");
    PodInfo member = pod("db-0").label("app", "db").label("statefulset.kubernetes.io/pod-name", "db-0")
        .label("apps.kubernetes.io/pod-index", "0").label("controller-revision-hash", "r1")
        .controlledBy("apps/v1", "StatefulSet").build();
    assertEquals(LabelSelector.ofLabels(Map.of("app", "db")), PodTopologySpread.defaultSelector(member));
    assertEquals(List.of(ZONE, HOST), PodTopologySpread.constraints(member, false).stream()
        .map(c -> c.topologyKey() + "").toList());
    assertEquals(List.of(5, 3), PodTopologySpread.constraints(member, false).stream().map(c -> c.maxSkew()).toList());
    assertTrue(PodTopologySpread.constraints(member, true).isEmpty(), "the defaults never filter");
  }

  @Test
  void ownScheduleAnywayConstraintsIgnoreNodesWithoutTheKey() {
    List<NodeInfo> nodes = List.of(node("n1").label(ZONE, "a").with(web("w1", "n1")),
        node("n2").label(ZONE, "b").build(), node("n3").build());
    PodTopologySpread plugin = new PodTopologySpread();
    PodInfo p = pod("p").label("app", "web").spread(constraint(1, ZONE, "ScheduleAnyway", "app", "web")).build();
    plugin.preScore(p, nodes, Snapshot.of(nodes));
    long[] scores = {plugin.score(p, nodes.get(0)), plugin.score(p, nodes.get(1)), plugin.score(p, nodes.get(2))};
    // ln(2 zones + 2) = 1.39: n1 1, n2 0, n3 ignored
    assertArrayEquals(new long[] {1, 0, -1}, scores);
    plugin.normalize(scores, 3);
    assertArrayEquals(new long[] {0, 100, 0}, scores);
  }

  @Test
  void withoutConstraintsEveryNodeScoresZero() {
    List<NodeInfo> nodes = cluster();
    PodTopologySpread plugin = new PodTopologySpread();
    PodInfo p = pod("p").build();
    plugin.preScore(p, nodes, Snapshot.of(nodes));
    long[] scores = {plugin.score(p, nodes.get(0)), plugin.score(p, nodes.get(1)), plugin.score(p, nodes.get(2))};
    plugin.normalize(scores, 3);
    assertArrayEquals(new long[] {0, 0, 0}, scores);
  }
}
