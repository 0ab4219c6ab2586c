package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A pod toleration ({@code spec.tolerations[]}); {@link #tolerates} is Kubernetes' {@code ToleratesTaint}. */
public record Toleration(String key, String operator, String value, String effect) {

  public boolean tolerates(Taint taint) {
    if (!effect.isEmpty() && !effect.equals(taint.effect())) {
      return false;
    }
    if (!key.isEmpty() && !key.equals(taint.key())) {
      return false;
    }
    return switch (operator) {
      case "Exists" -> true;
      case "", "Equal" -> value.equals(taint.value());
      default -> false;
    };
  }

  public static boolean anyTolerates(List<Toleration> tolerations, Taint taint) {
    for (Toleration t : tolerations) {
      if (t.tolerates(taint)) {
        return true;
      }
    }
    return false;
  }

  static List<Toleration> listOf(JsonNode tolerations) {
    if (!tolerations.isArray() || tolerations.isEmpty()) {
      return List.of();
    }
    List<Toleration> list = new ArrayList<>(tolerations.size());
    for (JsonNode t : tolerations) {
      list.add(new Toleration(t.path("key").asText(""), t.path("operator").asText(""), t.path("value").asText(""),
          t.path("effect").asText("")));
    }
    return List.copyOf(list);
  }
}
