package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A node taint ({@code spec.taints[]}). */
public record Taint(String key, String value, String effect) {
  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String NO_EXECUTE = "NoExecute";
  public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";

  static List<Taint> listOf(JsonNode taints) {
    if (!taints.isArray() || taints.isEmpty()) {
      return List.of();
    }
    List<Taint> list = new ArrayList<>(taints.size());
    for (JsonNode t : taints) {
      list.add(new Taint(t.path("key").asText(""), t.path("value").asText(""), t.path("effect").asText("")));
    }
    return List.copyOf(list);
  }
}
