package io.pekkube.actors.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a pod's {@code spec.tolerations}; {@code seconds} is {@code tolerationSeconds}, null for
 * "for ever".
 */
public record Toleration(String key, String operator, String value, String effect, Long seconds) {

  public static List<Toleration> of(JsonNode pod) {
    List<Toleration> tolerations = new ArrayList<>();
    for (JsonNode t : pod.path("spec").path("tolerations")) {
      tolerations.add(new Toleration(t.path("key").asText(""), t.path("operator").asText(""),
          t.path("value").asText(""), t.path("effect").asText(""),
          t.hasNonNull("tolerationSeconds") ? t.path("tolerationSeconds").asLong() : null));
    }
    return List.copyOf(tolerations);
  }

  /** Kubernetes' {@code Toleration.ToleratesTaint}: an empty effect or key matches every one. */
  public boolean tolerates(Taint taint) {
    if (!effect.isEmpty() && !effect.equals(taint.effect())) {
      return false;
    }
    if (!key.isEmpty() && !key.equals(taint.key())) {
      return false;
    }
    return switch (operator) {
      case "", "Equal" -> value.equals(taint.value());
      case "Exists" -> true;
      default -> false;
    };
  }
}
