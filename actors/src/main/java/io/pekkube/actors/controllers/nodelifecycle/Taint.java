package io.pekkube.actors.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a Node's {@code spec.taints}. {@code timeAdded} is null when the taint has none (only
 * NoExecute taints carry one; it is when taint-based eviction starts counting).
 */
public record Taint(String key, String value, String effect, Instant timeAdded) {

  public static final String NO_EXECUTE = "NoExecute";
  public static final String NO_SCHEDULE = "NoSchedule";

  /** Taint keys of Kubernetes' {@code k8s.io/api/core/v1} well-known taints. */
  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

  public static Taint of(String key, String effect) {
    return new Taint(key, "", effect, null);
  }

  /** Same key and effect: the identity Kubernetes uses when it adds or removes a taint. */
  public boolean sameAs(Taint other) {
    return key.equals(other.key) && effect.equals(other.effect);
  }

  public static List<Taint> of(JsonNode node) {
    List<Taint> taints = new ArrayList<>();
    for (JsonNode t : node.path("spec").path("taints")) {
      String added = t.path("timeAdded").asText("");
      taints.add(new Taint(t.path("key").asText(""), t.path("value").asText(""), t.path("effect").asText(""),
          Times.parse(added)));
    }
    return taints;
  }

  public static ArrayNode toJson(List<Taint> taints) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (Taint t : taints) {
      ObjectNode o = array.addObject();
      o.put("key", t.key());
      if (!t.value().isEmpty()) {
        o.put("value", t.value());
      }
      o.put("effect", t.effect());
      if (t.timeAdded() != null) {
        o.put("timeAdded", Times.format(t.timeAdded()));
      }
    }
    return array;
  }
}
