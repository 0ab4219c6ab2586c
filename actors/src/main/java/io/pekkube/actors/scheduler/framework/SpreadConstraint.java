package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code topologySpreadConstraint} parsed once per pod. {@code matchLabelKeys} are folded into the
 * selector with the pod's own values; the node inclusion policies default as in Kubernetes
 * ({@code nodeAffinityPolicy: Honor}, {@code nodeTaintsPolicy: Ignore}), {@code minDomains} to 1.
 */
public record SpreadConstraint(int maxSkew, String topologyKey, boolean doNotSchedule, LabelSelector selector,
    int minDomains, boolean honorNodeAffinity, boolean honorNodeTaints) {

  public static final String DO_NOT_SCHEDULE = "DoNotSchedule";
  public static final String HONOR = "Honor";

  static List<SpreadConstraint> listOf(JsonNode constraints, Map<String, String> podLabels) {
    if (!constraints.isArray() || constraints.isEmpty()) {
      return List.of();
    }
    List<SpreadConstraint> list = new ArrayList<>(constraints.size());
    for (JsonNode c : constraints) {
      LabelSelector selector = LabelSelector.of(c.get("labelSelector"));
      for (JsonNode k : c.path("matchLabelKeys")) {
        String value = podLabels.get(k.asText());
        if (value != null) {
          selector = selector.and(k.asText(), "In", value);
        }
      }
      list.add(new SpreadConstraint(c.path("maxSkew").asInt(1), c.path("topologyKey").asText(""),
          DO_NOT_SCHEDULE.equals(c.path("whenUnsatisfiable").asText(DO_NOT_SCHEDULE)), selector,
          Math.max(c.path("minDomains").asInt(1), 1), HONOR.equals(c.path("nodeAffinityPolicy").asText(HONOR)),
          HONOR.equals(c.path("nodeTaintsPolicy").asText("Ignore"))));
    }
    return List.copyOf(list);
  }
}
