package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A pod's {@code spec.affinity.podAffinity} and {@code podAntiAffinity}, parsed once. */
public record PodAffinity(List<AffinityTerm> required, List<AffinityTerm> requiredAnti,
    List<AffinityTerm.Weighted> preferred, List<AffinityTerm.Weighted> preferredAnti) {

  public static final PodAffinity NONE = new PodAffinity(List.of(), List.of(), List.of(), List.of());

  /** Any term at all: the pod is one of a node's "pods with affinity". */
  public boolean any() {
    return !required.isEmpty() || !requiredAnti.isEmpty() || !preferred.isEmpty() || !preferredAnti.isEmpty();
  }

  static PodAffinity of(JsonNode affinity, String namespace, Map<String, String> labels) {
    JsonNode a = affinity.path("podAffinity");
    JsonNode anti = affinity.path("podAntiAffinity");
    if (a.isMissingNode() && anti.isMissingNode()) {
      return NONE;
    }
    PodAffinity p = new PodAffinity(terms(a, namespace, labels), terms(anti, namespace, labels),
        weighted(a, namespace, labels), weighted(anti, namespace, labels));
    return p.any() ? p : NONE;
  }

  private static List<AffinityTerm> terms(JsonNode affinity, String namespace, Map<String, String> labels) {
    JsonNode terms = affinity.path("requiredDuringSchedulingIgnoredDuringExecution");
    if (!terms.isArray() || terms.isEmpty()) {
      return List.of();
    }
    List<AffinityTerm> list = new ArrayList<>(terms.size());
    terms.forEach(t -> list.add(AffinityTerm.of(t, namespace, labels)));
    return List.copyOf(list);
  }

  private static List<AffinityTerm.Weighted> weighted(JsonNode affinity, String namespace, Map<String, String> labels) {
    JsonNode terms = affinity.path("preferredDuringSchedulingIgnoredDuringExecution");
    if (!terms.isArray() || terms.isEmpty()) {
      return List.of();
    }
    List<AffinityTerm.Weighted> list = new ArrayList<>(terms.size());
    terms.forEach(t -> list.add(new AffinityTerm.Weighted(t.path("weight").asInt(0),
        AffinityTerm.of(t.path("podAffinityTerm"), namespace, labels))));
    return List.copyOf(list);
  }
}
