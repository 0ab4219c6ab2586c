package io.pekkube.actors.scheduler.plugins.interpodaffinity;

import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static io.pekkube.actors.scheduler.Fixtures.term;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.scheduler.Fixtures;
import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Snapshot;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterPodAffinityTest {
  private static final String ZONE = "topology.kubernetes.io/zone";
  private static final String HOST = "kubernetes.io/hostname";
  private static final String AFFINITY = "node(s) didn't match pod affinity rules";
  private static final String ANTI = "node(s) didn't match pod anti-affinity rules";
  private static final String EXISTING = "node(s) didn't satisfy existing pods anti-affinity rules";

  /** Expected per node: "" fits, else the reason (affinity failures unresolvable, the others not). */
  record Row(String name, PodInfo pod, String n1, String n2, String n3) {}

  /** n1 and n2 in zone a (web runs on n1), n3 in zone b (guard keeps pods labelled security=s1 out of its zone). */
  private static List<NodeInfo> cluster() {
    return List.of(
        node("n1").label(ZONE, "a").with(pod("web").label("app", "web").nodeName("n1").build()),
        node("n2").label(ZONE, "a").build(),
        node("n3").label(ZONE, "b").with(pod("guard").label("app", "guard").nodeName("n3")
            .affinity(true, term(ZONE, "security", "s1")).build()));
  }

  private static final Map<String, Map<String, String>> NAMESPACES =
      Map.of("default", Map.of("team", "a"), "other", Map.of("team", "b"));

  @Test
  void filterTable() {
    ObjectNode inOther = term(ZONE, "app", "web");
    inOther.putArray("namespaces").add("other");
    ObjectNode teamA = term(ZONE, "app", "web");
    teamA.putObject("namespaceSelector").putObject("matchLabels").put("team", "a");
    ObjectNode teamB = term(ZONE, "app", "web");
    teamB.putObject("namespaceSelector").putObject("matchLabels").put("team", "b");
    ObjectNode anyNamespace = term(ZONE, "app", "web");
    anyNamespace.putObject("namespaceSelector");
    ObjectNode webOrApi = term(ZONE);
    webOrApi.with("labelSelector").putArray("matchExpressions").addObject().put("key", "app").put("operator", "In")
        .putArray("values").add("web").add("api");
    ObjectNode sameVersion = term(ZONE, "app", "web");
    sameVersion.putArray("matchLabelKeys").add("version");
    ObjectNode otherVersions = term(ZONE);
    otherVersions.with("labelSelector").putArray("matchExpressions").addObject().put("key", "app")
        .put("operator", "Exists");
    otherVersions.putArray("mismatchLabelKeys").add("app");
    for (Row r : List.of(
        new Row("no affinity", pod("p").build(), "", "", ""),
        new Row("affinity to a zone with web", pod("p").affinity(false, term(ZONE, "app", "web")).build(), "", "", AFFINITY),
        new Row("affinity to web's host", pod("p").affinity(false, term(HOST, "app", "web")).build(), "", AFFINITY, AFFINITY),
        new Row("affinity to what no pod is: none fits", pod("p").affinity(false, term(ZONE, "app", "db")).build(),
            AFFINITY, AFFINITY, AFFINITY),
        new Row("the first of a group matching its own affinity goes anywhere",
            pod("p").label("app", "db").affinity(false, term(ZONE, "app", "db")).build(), "", "", ""),
        new Row("matching itself does not help once a matching pod exists",
            pod("p").label("app", "web").affinity(false, term(HOST, "app", "web")).build(), "", AFFINITY, AFFINITY),
        new Row("every affinity term must hold", pod("p").affinity(false, term(ZONE, "app", "web"))
            .affinity(false, term(HOST, "app", "web")).build(), "", AFFINITY, AFFINITY),
        new Row("a node without the topology key is out", pod("p").label("app", "web")
            .affinity(false, term("rack", "app", "web")).build(), AFFINITY, AFFINITY, AFFINITY),
        new Row("anti-affinity to web's zone", pod("p").affinity(true, term(ZONE, "app", "web")).build(), ANTI, ANTI, ""),
        new Row("anti-affinity to web's host", pod("p").affinity(true, term(HOST, "app", "web")).build(), ANTI, "", ""),
        new Row("anti-affinity with a key no node has rejects nothing", pod("p").affinity(true, term("rack", "app", "web")).build(),
            "", "", ""),
        new Row("an existing pod's anti-affinity keeps the pod out of its zone", pod("p").label("security", "s1").build(),
            "", "", EXISTING),
        new Row("terms look in the pod's namespace only", pod("p").namespace("other")
            .affinity(false, term(ZONE, "app", "web")).build(), AFFINITY, AFFINITY, AFFINITY),
        new Row("namespaces name where to look", pod("p").affinity(false, inOther).build(), AFFINITY, AFFINITY, AFFINITY),
        new Row("a namespace selector matching default", pod("p").namespace("other").affinity(false, teamA).build(), "", "", AFFINITY),
        new Row("a namespace selector matching other only", pod("p").affinity(false, teamB).build(), AFFINITY, AFFINITY, AFFINITY),
        new Row("an empty namespace selector is every namespace", pod("p").namespace("other").affinity(false, anyNamespace).build(),
            "", "", AFFINITY),
        new Row("matchExpressions", pod("p").affinity(false, webOrApi).build(), "", "", AFFINITY),
        new Row("matchLabelKeys narrow to the pod's own value", pod("p").label("version", "v2")
            .affinity(true, sameVersion).build(), "", "", ""),
        new Row("mismatchLabelKeys exclude the pod's own value", pod("p").label("app", "web")
            .affinity(true, otherVersions).build(), "", "", ANTI))) {
      List<NodeInfo> nodes = cluster();
      InterPodAffinity.FilterState state = InterPodAffinity.preFilterState(r.pod(), Snapshot.of(nodes, NAMESPACES));
      String[] expected = {r.n1(), r.n2(), r.n3()};
      for (int i = 0; i < 3; i++) {
        Status s = InterPodAffinity.fits(state, nodes.get(i));
        assertEquals(expected[i].isEmpty() ? List.of() : List.of(expected[i]), s.reasons(), r.name() + " on n" + (i + 1));
        if (!expected[i].isEmpty()) {
          Status.Code code = expected[i].equals(AFFINITY) ? Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE
              : Status.Code.UNSCHEDULABLE;
          assertEquals(code, s.code(), r.name() + " on n" + (i + 1));
        }
      }
    }
  }

  @Test
  void fitErrorCountsTheReasonsAsKubernetesDoes() {
    Framework f = Fixtures.defaultFramework();
    assertEquals("0/3 nodes are available: 3 node(s) didn't match pod affinity rules.",
        message(f, pod("p").affinity(false, term(ZONE, "app", "db")).build()));
    assertEquals("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match pod anti-affinity rules.",
        message(f, pod("p").requests("cpu", "3500m").affinity(true, term(ZONE, "app", "web")).build()));
    assertEquals("0/3 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules, "
        + "2 node(s) didn't match pod affinity rules.",
        message(f, pod("p").label("security", "s1").affinity(false, term(ZONE, "app", "guard")).build()));
  }

  private static String message(Framework f, PodInfo pod) {
    List<NodeInfo> nodes = cluster();
    nodes.get(2).addPod(pod("big").requests("cpu", "1").nodeName("n3").build());
    return ((Framework.Unschedulable) f.schedule(pod, nodes)).error().message();
  }

  @Test
  void preemptionEvictsThePodTheAntiAffinityRulesOut() {
    Framework f = Fixtures.defaultFramework();
    NodeInfo only = node("n1").label(ZONE, "a").with(pod("web").label("app", "web").priority(0).nodeName("n1").build(),
        pod("other").label("app", "other").priority(0).nodeName("n1").build());
    PodInfo urgent = pod("urgent").priority(1000).affinity(true, term(HOST, "app", "web")).build();
    Framework.Unschedulable r = (Framework.Unschedulable) f.schedule(urgent, List.of(only));
    assertEquals("0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.", r.error().message());
    Plugin.PostFilterResult post = f.runPostFilters(urgent, r.error().nodeStatuses(), List.of(only));
    assertEquals("n1", post.nominatedNode());
    assertEquals(List.of("web"), post.victims().stream().map(PodInfo::name).toList());
    assertEquals(List.of(ANTI), f.runFilters(urgent, only).reasons(), "the what-ifs left the cycle's counts as they were");
  }

  @Test
  void preferredTermsAndExistingPodsTermsScoreByTopology() {
    List<NodeInfo> nodes = new ArrayList<>(List.of(
        node("n1").label(ZONE, "a").with(pod("web").label("app", "web").nodeName("n1").build()),
        node("n2").label(ZONE, "a").with(pod("cache").label("app", "cache").nodeName("n2").build()),
        node("n3").label(ZONE, "b").with(pod("fan").nodeName("n3").affinity(false, term(HOST, "app", "p")).build())));
    PodInfo p = pod("p").label("app", "p")
        .preferredAffinity(false, 10, term(ZONE, "app", "web"))
        .preferredAffinity(true, 4, term(HOST, "app", "cache")).build();
    InterPodAffinity.ScoreState state = InterPodAffinity.preScoreState(p, Snapshot.of(nodes), 7);
    long[] scores = new long[3];
    for (int i = 0; i < 3; i++) {
      scores[i] = InterPodAffinity.scoreOf(state, nodes.get(i));
    }
    assertArrayEquals(new long[] {10, 6, 7}, scores, "zone a +10, n2 -4, n3 +7 from fan's required term");
    InterPodAffinity.normalizeMinMax(scores, 3);
    assertArrayEquals(new long[] {100, 0, 25}, scores);
    InterPodAffinity.ScoreState noHard = InterPodAffinity.preScoreState(p, Snapshot.of(nodes), 0);
    assertEquals(0, InterPodAffinity.scoreOf(noHard, nodes.get(2)), "hardPodAffinityWeight 0 ignores required terms");
  }

  @Test
  void existingPodsPreferredTermsScoreTheIncomingPod() {
    List<NodeInfo> nodes = List.of(
        node("n1").label(ZONE, "a").with(pod("likes").nodeName("n1")
            .preferredAffinity(false, 20, term(ZONE, "app", "p")).build()),
        node("n2").label(ZONE, "b").with(pod("shuns").nodeName("n2")
            .preferredAffinity(true, 30, term(ZONE, "app", "p")).build()));
    InterPodAffinity.ScoreState state = InterPodAffinity.preScoreState(pod("p").label("app", "p").build(),
        Snapshot.of(nodes), 1);
    assertEquals(20, InterPodAffinity.scoreOf(state, nodes.get(0)));
    assertEquals(-30, InterPodAffinity.scoreOf(state, nodes.get(1)));
  }

  @Test
  void withoutAnyTermsEveryNodeScoresZero() {
    InterPodAffinity plugin = new InterPodAffinity(1);
    PodInfo p = pod("p").build();
    List<NodeInfo> nodes = cluster();
    plugin.preScore(p, nodes, Snapshot.of(nodes));
    long[] scores = {plugin.score(p, nodes.get(0)), plugin.score(p, nodes.get(1)), plugin.score(p, nodes.get(2))};
    plugin.normalize(scores, 3);
    assertArrayEquals(new long[] {0, 0, 0}, scores);
  }

  @Test
  void podsItRejectsWaitForPodAndNodeLabelEvents() {
    var events = new InterPodAffinity(1).eventsToRegister();
    for (ClusterEvent e : List.of(ClusterEvent.POD_ADDED, ClusterEvent.POD_LABELS_CHANGED, ClusterEvent.POD_DELETED,
        ClusterEvent.NODE_ADDED, ClusterEvent.NODE_LABELS_CHANGED)) {
      assertTrue(events.contains(e), e.name());
    }
    assertTrue(!events.contains(ClusterEvent.NODE_ALLOCATABLE_CHANGED));
  }
}
