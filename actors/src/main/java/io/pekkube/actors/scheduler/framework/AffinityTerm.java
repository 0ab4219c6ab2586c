package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A {@code podAffinityTerm} parsed once per pod, Kubernetes' {@code framework.AffinityTerm}: the pods it
 * selects are those in {@link #namespaces} or in a namespace whose labels {@link #namespaceSelector}
 * matches, and whose labels {@link #selector} matches. With neither namespaces nor a namespace selector the
 * term means the pod's own namespace; {@code namespaceSelector: {}} means every namespace.
 * {@code matchLabelKeys} / {@code mismatchLabelKeys} are folded into the selector with the owning pod's
 * values ({@code key In (v)} / {@code key NotIn (v)}), as the API server does when the pod is created.
 */
public record AffinityTerm(LabelSelector selector, Set<String> namespaces, LabelSelector namespaceSelector,
    String topologyKey) {

  /** A preferred term and its weight (1..100). */
  public record Weighted(int weight, AffinityTerm term) {}

  /** {@code namespaceLabels}: the labels of {@code pod}'s namespace (empty when unknown). */
  public boolean matches(PodInfo pod, Map<String, String> namespaceLabels) {
    return (namespaces.contains(pod.namespace()) || namespaceSelector.matches(namespaceLabels))
        && selector.matches(pod.labels());
  }

  /** The term with its namespace selector resolved against the namespaces of the cluster, as Kubernetes' {@code mergeAffinityTermNamespacesIfNotEmpty}. */
  public AffinityTerm withNamespacesOf(Map<String, Map<String, String>> namespaceLabels) {
    if (namespaceSelector.nothing() || namespaceSelector.isEmpty()) {
      return this;
    }
    Set<String> merged = new HashSet<>(namespaces);
    namespaceLabels.forEach((ns, labels) -> {
      if (namespaceSelector.matches(labels)) {
        merged.add(ns);
      }
    });
    return new AffinityTerm(selector, Set.copyOf(merged), LabelSelector.NOTHING, topologyKey);
  }

  static AffinityTerm of(JsonNode term, String podNamespace, Map<String, String> podLabels) {
    LabelSelector selector = LabelSelector.of(term.get("labelSelector"));
    if (term.has("labelSelector")) {
      for (JsonNode k : term.path("matchLabelKeys")) {
        String value = podLabels.get(k.asText());
        if (value != null) {
          selector = selector.and(k.asText(), "In", value);
        }
      }
      for (JsonNode k : term.path("mismatchLabelKeys")) {
        String value = podLabels.get(k.asText());
        if (value != null) {
          selector = selector.and(k.asText(), "NotIn", value);
        }
      }
    }
    Set<String> namespaces = new HashSet<>();
    term.path("namespaces").forEach(n -> namespaces.add(n.asText()));
    JsonNode nsSelector = term.get("namespaceSelector");
    if (namespaces.isEmpty() && (nsSelector == null || nsSelector.isNull())) {
      namespaces.add(podNamespace);
    }
    return new AffinityTerm(selector, Set.copyOf(namespaces), LabelSelector.of(nsSelector),
        term.path("topologyKey").asText(""));
  }
}
