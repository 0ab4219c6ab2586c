package io.pekkube.actors.scheduler.framework;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The cluster as one scheduling cycle sees it, Kubernetes' {@code SharedLister}: the candidate nodes, the
 * labels of the namespaces, and the placed pods (bound and assumed) by label selector. The scheduler cache
 * answers {@link #forEachMatchingPod} from a label index; the default scans every node's pods.
 */
public interface Snapshot {

  /** The nodes that exist (with a Node object). */
  List<NodeInfo> nodes();

  /**
   * The nodes with a placed pod that has pod (anti-)affinity terms (Kubernetes' {@code HavePodsWithAffinityList}):
   * the only ones whose pods' own terms matter to an incoming pod. May include nodes whose Node is gone.
   */
  default Collection<NodeInfo> nodesWithPodAffinity() {
    return nodes().stream().filter(n -> !n.podsWithAffinity().isEmpty()).toList();
  }

  /** Namespace name → labels; empty when the namespaces are not known. */
  default Map<String, Map<String, String>> namespaces() {
    return Map.of();
  }

  default Map<String, String> namespaceLabels(String namespace) {
    return namespaces().getOrDefault(namespace, Map.of());
  }

  /** Each placed pod on an existing node whose labels {@code selector} matches, with that node. */
  default void forEachMatchingPod(LabelSelector selector, BiConsumer<PodInfo, NodeInfo> action) {
    if (selector.nothing()) {
      return;
    }
    for (NodeInfo node : nodes()) {
      for (PodInfo p : node.pods()) {
        if (selector.matches(p.labels())) {
          action.accept(p, node);
        }
      }
    }
  }

  /** The placed pods {@code query} selects, per node and per topology pair; the cache keeps these up to date. */
  default TopologyTally tally(PodQuery query) {
    TopologyTally tally = new TopologyTally();
    forEachMatchingPod(query.selector(), (p, node) -> {
      if (query.matches(p)) {
        tally.add(node, 1);
      }
    });
    return tally;
  }

  /** The placed pods' distinct pod (anti-)affinity terms on the existing nodes; the cache keeps them up to date. */
  default PlacedTerms placedTerms() {
    PlacedTerms terms = new PlacedTerms();
    for (NodeInfo node : nodesWithPodAffinity()) {
      if (node.exists()) {
        node.podsWithAffinity().forEach(p -> terms.add(p, node, 1));
      }
    }
    return terms;
  }

  /** Each existing node counted once: the topology domains (label values) there are. */
  default TopologyTally nodeTally() {
    TopologyTally tally = new TopologyTally();
    for (NodeInfo node : nodes()) {
      tally.add(node, 1);
    }
    return tally;
  }

  static Snapshot of(List<NodeInfo> nodes) {
    return of(nodes, Map.of());
  }

  static Snapshot of(List<NodeInfo> nodes, Map<String, Map<String, String>> namespaces) {
    return new Snapshot() {
      @Override
      public List<NodeInfo> nodes() {
        return nodes;
      }

      @Override
      public Map<String, Map<String, String>> namespaces() {
        return namespaces;
      }
    };
  }
}
