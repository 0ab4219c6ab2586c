package io.pekkube.actors.controllers.podgc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The pod garbage collector's {@code gcOrphaned} as pure decisions: which nodes are gone between two
 * looks at the Node list, and the status a pod of a gone node gets before it is force-deleted (phase
 * Failed with the DisruptionTarget condition, as {@code markFailedAndDeletePodWithCondition} applies it;
 * a pod already Succeeded or Failed keeps its status).
 */
public final class OrphanedPods {
  public static final String CONDITION_TYPE = "DisruptionTarget";
  public static final String REASON = "DeletionByPodGC";
  public static final String MESSAGE = "PodGC: node no longer exists";

  private OrphanedPods() {}

  /** Nodes known before and absent from a fresh list: deleted while the watch was down. */
  public static Set<String> gone(Set<String> before, List<String> now) {
    Set<String> gone = new HashSet<>(before);
    now.forEach(gone::remove);
    return gone;
  }

  /** The status to write before the force deletion, or empty when the pod is already terminal. */
  public static Optional<ObjectNode> failedStatus(JsonNode pod, Instant now) {
    JsonNode status = pod.path("status");
    String phase = status.path("phase").asText("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      return Optional.empty();
    }
    ObjectNode next = status.isObject() ? status.deepCopy() : Json.object();
    next.put("phase", "Failed");
    ArrayNode conditions = Json.MAPPER.createArrayNode();
    for (JsonNode c : status.path("conditions")) {
      if (!CONDITION_TYPE.equals(c.path("type").asText())) {
        conditions.add(c.deepCopy());
      }
    }
    conditions.addObject().put("type", CONDITION_TYPE).put("status", "True").put("reason", REASON)
        .put("message", MESSAGE)
        .put("lastTransitionTime", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
    next.set("conditions", conditions);
    return Optional.of(next);
  }
}
