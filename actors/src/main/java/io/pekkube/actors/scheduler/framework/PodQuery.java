package io.pekkube.actors.scheduler.framework;

import java.util.Map;
import java.util.Set;

/**
 * Which placed pods a plugin counts: those {@link #selector} matches in {@link #namespaces} (any namespace
 * when {@link #anyNamespace}), terminating ones only if {@link #countTerminating}. A value, so that the
 * scheduler cache can keep one {@link TopologyTally} per query across cycles.
 */
public record PodQuery(LabelSelector selector, Set<String> namespaces, boolean anyNamespace,
    boolean countTerminating) {

  /** PodTopologySpread's: the pod's namespace, terminating pods left out. */
  public static PodQuery spreading(LabelSelector selector, String namespace) {
    return new PodQuery(selector, Set.of(namespace), false, false);
  }

  /** An incoming pod's affinity term whose namespace selector is resolved; every pod it selects counts. */
  public static PodQuery of(AffinityTerm term) {
    return new PodQuery(term.selector(), term.namespaces(), term.namespaceSelector().matches(Map.of()), true);
  }

  public boolean matches(PodInfo pod) {
    return (countTerminating || !pod.terminating())
        && (anyNamespace || namespaces.contains(pod.namespace()))
        && selector.matches(pod.labels());
  }
}
