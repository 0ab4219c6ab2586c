package io.pekkube.actors.scheduler.cache;

import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.actors.scheduler.framework.LabelSelector;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.PodQuery;
import io.pekkube.actors.scheduler.framework.Snapshot;
import io.pekkube.actors.scheduler.framework.TopologyTally;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.scheduler.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  private final SchedulerCache cache = new SchedulerCache();

  private long cpu(String node) {
    return cache.node(node).requested().milliCpu();
  }

  @Test
  void anAssumedPodCountsUntilTheWatchConfirmsIt() {
    cache.upsertNode(node("n1").json());
    PodInfo pending = pod("p").requests("cpu", "1").build();
    cache.assume(pending, "n1");
    assertEquals(1000, cpu("n1"), "the next decision sees the node as used");
    cache.updatePod(pending);
    assertEquals(1000, cpu("n1"), "an event from before the binding does not drop the assumption");
    cache.updatePod(pod("p").requests("cpu", "1").nodeName("n1").build());
    assertFalse(cache.isAssumed("default/p"));
    assertEquals(1000, cpu("n1"), "confirmed, counted once");
  }

  private List<String> matching(LabelSelector selector) {
    List<String> found = new ArrayList<>();
    cache.forEachMatchingPod(selector, (p, node) -> found.add(p.name() + "@" + node.name()));
    found.sort(String::compareTo);
    return found;
  }

  @Test
  void placedPodsAreFoundByLabelIncludingAssumedOnes() {
    cache.upsertNode(node("n1").json());
    cache.upsertNode(node("n2").json());
    cache.updatePod(pod("a").label("app", "web").label("tier", "1").nodeName("n1").build());
    cache.updatePod(pod("b").label("app", "web").label("tier", "2").nodeName("n2").build());
    cache.updatePod(pod("pending").label("app", "web").build());
    cache.assume(pod("c").label("app", "web").label("tier", "1").build(), "n2");
    LabelSelector tier1 = LabelSelector.ofLabels(Map.of("app", "web", "tier", "1"));
    assertEquals(List.of("a@n1", "c@n2"), matching(tier1), "the index narrows, the selector decides");
    cache.updatePod(pod("a").label("app", "web").label("tier", "2").nodeName("n1").build());
    cache.forget("default/c");
    assertEquals(List.of(), matching(tier1), "relabelled and forgotten pods leave the index");
    assertEquals(List.of("a@n1", "b@n2"), matching(LabelSelector.EVERYTHING), "no pinned label: a scan");
    cache.removeNode("n2");
    assertEquals(List.of("a@n1"), matching(LabelSelector.ofLabels(Map.of("app", "web"))), "pods of a gone node are out");
  }

  @Test
  void namespacesKeepTheirLabels() {
    var ns = Json.object();
    ns.putObject("metadata").put("name", "team-a").putObject("labels").put("team", "a");
    cache.replaceNamespaces(List.of(ns));
    assertEquals(Map.of("team", "a"), cache.namespaceLabels("team-a"));
    cache.removeNamespace("team-a");
    assertEquals(Map.of(), cache.namespaceLabels("team-a"));
  }

  @Test
  void aFailedBindingForgetsTheAssumption() {
    cache.upsertNode(node("n1").json());
    cache.assume(pod("p").requests("cpu", "1").build(), "n1");
    cache.forget("default/p");
    assertEquals(0, cpu("n1"));
    assertEquals(0, cache.podCount());
  }

  @Test
  void finishedAndDeletedPodsFreeTheirRoom() {
    cache.upsertNode(node("n1").json());
    cache.updatePod(pod("a").requests("cpu", "1").nodeName("n1").build());
    cache.updatePod(pod("b").requests("cpu", "2").nodeName("n1").build());
    assertEquals(3000, cpu("n1"));
    cache.updatePod(pod("a").requests("cpu", "1").nodeName("n1").phase("Succeeded").build());
    assertEquals(2000, cpu("n1"));
    cache.removePod("default/b");
    assertEquals(0, cpu("n1"));
  }

  @Test
  void podsSeenBeforeTheirNodeAreCountedWhenItArrives() {
    cache.updatePod(pod("a").requests("cpu", "1").nodeName("late").build());
    assertTrue(cache.nodes().isEmpty(), "no Node yet: not a candidate");
    cache.upsertNode(node("late").json());
    assertEquals(List.of("late"), cache.nodes().stream().map(n -> n.name()).toList());
    assertEquals(1000, cpu("late"));
  }

  @Test
  void aRelistReplacesNodesAndPodsButKeepsAssumptions() {
    cache.replaceNodes(List.of(node("n1").json(), node("n2").json()));
    cache.updatePod(pod("gone").requests("cpu", "1").nodeName("n1").build());
    cache.assume(pod("flying").requests("cpu", "2").build(), "n2");
    cache.replaceNodes(List.of(node("n2").json()));
    cache.replacePods(List.of());
    assertEquals(List.of("n2"), cache.nodes().stream().map(n -> n.name()).toList());
    assertEquals(2000, cpu("n2"), "the binding in flight still counts");
    assertEquals(1, cache.podCount());
  }

  @Test
  void talliesFollowPodsAndNodesAsARecountWould() {
    String zone = "topology.kubernetes.io/zone";
    cache.upsertNode(node("n1").label(zone, "a").json());
    cache.upsertNode(node("n2").label(zone, "b").json());
    PodQuery web = PodQuery.spreading(LabelSelector.ofLabels(Map.of("app", "web")), "default");
    cache.updatePod(pod("a").label("app", "web").nodeName("n1").build());
    TopologyTally kept = cache.tally(web);
    assertEquals(1, kept.inDomain(zone, "a"));
    cache.updatePod(pod("b").label("app", "web").nodeName("n2").build());
    cache.assume(pod("c").label("app", "web").build(), "n2");
    cache.updatePod(pod("d").label("app", "web").terminating().nodeName("n2").build());
    cache.updatePod(pod("e").label("app", "web").namespace("other").nodeName("n2").build());
    cache.updatePod(pod("f").label("app", "web").nodeName("n3").build());
    assertEquals(2, kept.inDomain(zone, "b"), "terminating pods and other namespaces do not count");
    cache.upsertNode(node("n1").label(zone, "b").json());
    cache.upsertNode(node("n3").label(zone, "a").json());
    cache.forget("default/c");
    cache.removeNode("n2");
    assertEquals(1, kept.inDomain(zone, "a"), "f's node arrived in a");
    assertEquals(1, kept.inDomain(zone, "b"), "a moved with n1, n2 is gone");
    TopologyTally recounted = Snapshot.of(cache.nodes()).tally(web);
    for (String value : List.of("a", "b")) {
      assertEquals(recounted.inDomain(zone, value), kept.inDomain(zone, value), value);
    }
    assertEquals(List.of("a", "b"), cache.nodeTally().values(zone).stream().sorted().toList(), "the domains");
  }

  @Test
  void placedTermsAreCountedOncePerDistinctTerm() {
    String host = "kubernetes.io/hostname";
    cache.upsertNode(node("n1").label(host, "n1").json());
    cache.upsertNode(node("n2").label(host, "n2").json());
    for (String name : List.of("a", "b", "c")) {
      cache.updatePod(pod(name).label("app", "db").affinity(true, Fixtures.term(host, "app", "db"))
          .nodeName(name.equals("c") ? "n2" : "n1").build());
    }
    assertEquals(1, cache.placedTerms().requiredAnti().size(), "the three pods share one term");
    TopologyTally withTerm = cache.placedTerms().requiredAnti().values().iterator().next();
    assertEquals(2, withTerm.inDomain(host, "n1"));
    cache.removeNode("n2");
    assertEquals(0, withTerm.inDomain(host, "n2"), "a gone node is in no domain");
    cache.removePod("default/a");
    cache.removePod("default/b");
    assertEquals(0, withTerm.inDomain(host, "n1"));
    assertEquals(1, withTerm.onNode(cache.node("n2")), "c stays counted on n2, in no domain");
    cache.removePod("default/c");
    assertTrue(cache.placedTerms().requiredAnti().isEmpty(), "the last pod with the term took it along");
  }
}
