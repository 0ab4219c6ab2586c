package io.pekkube.actors.scheduler.framework;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct pod (anti-)affinity terms of the placed pods, each with the pods that have it per node and
 * topology pair: an incoming pod is matched against each distinct term once, not once per placed pod
 * (the pods of one Deployment share their terms).
 */
public final class PlacedTerms {
  private final Map<AffinityTerm, TopologyTally> required = new HashMap<>();
  private final Map<AffinityTerm, TopologyTally> requiredAnti = new HashMap<>();
  private final Map<AffinityTerm.Weighted, TopologyTally> preferred = new HashMap<>();
  private final Map<AffinityTerm.Weighted, TopologyTally> preferredAnti = new HashMap<>();

  /** {@code pod} placed on (+1) or taken off (-1) {@code node}. */
  public void add(PodInfo pod, NodeInfo node, int delta) {
    PodAffinity a = pod.podAffinity();
    if (a.any()) {
      add(required, a.required(), node, delta);
      add(requiredAnti, a.requiredAnti(), node, delta);
      add(preferred, a.preferred(), node, delta);
      add(preferredAnti, a.preferredAnti(), node, delta);
    }
  }

  /** See {@link TopologyTally#detach}. */
  public void detach(NodeInfo node) {
    List.of(required, requiredAnti, preferred, preferredAnti).forEach(m -> m.values().forEach(t -> t.detach(node)));
  }

  public void attach(NodeInfo node) {
    List.of(required, requiredAnti, preferred, preferredAnti).forEach(m -> m.values().forEach(t -> t.attach(node)));
  }

  public Map<AffinityTerm, TopologyTally> required() {
    return Collections.unmodifiableMap(required);
  }

  public Map<AffinityTerm, TopologyTally> requiredAnti() {
    return Collections.unmodifiableMap(requiredAnti);
  }

  public Map<AffinityTerm.Weighted, TopologyTally> preferred() {
    return Collections.unmodifiableMap(preferred);
  }

  public Map<AffinityTerm.Weighted, TopologyTally> preferredAnti() {
    return Collections.unmodifiableMap(preferredAnti);
  }

  private static <T> void add(Map<T, TopologyTally> byTerm, List<T> terms, NodeInfo node, int delta) {
    for (T t : terms) {
      TopologyTally withTerm = byTerm.computeIfAbsent(t, x -> new TopologyTally());
      withTerm.add(node, delta);
      if (withTerm.isEmpty()) {
        byTerm.remove(t);
      }
    }
  }
}
