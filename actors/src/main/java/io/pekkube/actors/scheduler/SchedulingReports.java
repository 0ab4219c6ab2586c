package io.pekkube.actors.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.resources.ObjectWrites;
import io.pekkube.actors.scheduler.framework.PodInfo;
import java.time.Instant;

/**
 * What the scheduler tells users, as Kubernetes writes it: core/v1 Events ({@code Scheduled},
 * {@code FailedScheduling}) from {@code default-scheduler}, and the pod's {@code PodScheduled}
 * condition. Pure builders; {@link SchedulerWriter} sends them.
 */
public final class SchedulingReports {
  public static final String REASON_SCHEDULED = "Scheduled";
  public static final String REASON_FAILED_SCHEDULING = "FailedScheduling";
  /** The PodScheduled condition's reason when no node fits. */
  public static final String REASON_UNSCHEDULABLE = "Unschedulable";
  public static final String COMPONENT = "default-scheduler";

  private SchedulingReports() {}

  /** {@code Successfully assigned ns/pod to node}. */
  public static String scheduledMessage(PodInfo pod, String nodeName) {
    return "Successfully assigned " + pod.namespace() + "/" + pod.name() + " to " + nodeName;
  }

  /** A core/v1 Event about the pod, named as client-go's recorder names them ({@code pod.<hex nanos>}). */
  public static ObjectNode event(PodInfo pod, String type, String reason, String action, String message,
      Instant now) {
    ObjectNode e = Json.object();
    e.put("apiVersion", "v1");
    e.put("kind", "Event");
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    e.putObject("metadata").put("name", pod.name() + "." + Long.toHexString(nanos)).put("namespace", pod.namespace());
    ObjectNode involved = e.putObject("involvedObject");
    involved.put("apiVersion", "v1").put("kind", "Pod").put("namespace", pod.namespace()).put("name", pod.name())
        .put("uid", pod.uid());
    String rv = pod.object().path("metadata").path("resourceVersion").asText("");
    if (!rv.isEmpty()) {
      involved.put("resourceVersion", rv);
    }
    e.put("reason", reason);
    e.put("message", message);
    e.put("type", type);
    e.putObject("source").put("component", COMPONENT);
    String at = ObjectWrites.timestamp(now);
    e.put("firstTimestamp", at);
    e.put("lastTimestamp", at);
    e.put("count", 1);
    e.put("reportingComponent", COMPONENT);
    e.put("reportingInstance", COMPONENT);
    e.put("action", action);
    return e;
  }

  /**
   * The pod with {@code PodScheduled=False, reason Unschedulable} and the message; null when the
   * condition says that already (no write needed).
   */
  public static ObjectNode withUnschedulableCondition(ObjectNode pod, String message, Instant now) {
    ArrayNode conditions = ((ObjectNode) pod.with("status")).withArray("conditions");
    for (JsonNode c : conditions) {
      if ("PodScheduled".equals(c.path("type").asText())) {
        if ("False".equals(c.path("status").asText()) && REASON_UNSCHEDULABLE.equals(c.path("reason").asText())
            && message.equals(c.path("message").asText())) {
          return null;
        }
      }
    }
    ObjectNode next = pod.deepCopy();
    ArrayNode nextConditions = ((ObjectNode) next.with("status")).withArray("conditions");
    ObjectNode condition = null;
    for (JsonNode c : nextConditions) {
      if ("PodScheduled".equals(c.path("type").asText())) {
        condition = (ObjectNode) c;
      }
    }
    if (condition == null) {
      condition = nextConditions.addObject();
      condition.put("type", "PodScheduled");
    }
    if (!"False".equals(condition.path("status").asText())) {
      condition.put("lastTransitionTime", ObjectWrites.timestamp(now));
    }
    condition.put("status", "False");
    condition.putNull("lastProbeTime");
    condition.put("reason", REASON_UNSCHEDULABLE);
    condition.put("message", message);
    return next;
  }

  /** The pod with {@code status.nominatedNodeName} set (after preemption made room there). */
  public static ObjectNode withNominatedNode(ObjectNode pod, String nodeName) {
    ObjectNode next = pod.deepCopy();
    ((ObjectNode) next.with("status")).put("nominatedNodeName", nodeName);
    return next;
  }
}
