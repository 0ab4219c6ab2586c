package io.pekkube.actors.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.events.EventRecorder;
import io.pekkube.actors.resources.ObjectWrites;
import io.pekkube.actors.scheduler.framework.PodInfo;
import java.time.Instant;

/**
 * What the scheduler tells users, as Kubernetes writes it: core/v1 Events ({@code Scheduled},
 * {@code FailedScheduling}) from {@code default-scheduler}, and the pod's {@code PodScheduled}
 * condition. Pure builders; {@link SchedulerWriter} sends them (Events through the shared {@link EventRecorder}).
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

  /** The pod as the Events' {@code involvedObject}. */
  public static EventRecorder.Involved involved(PodInfo pod) {
    return EventRecorder.Involved.pod(pod.namespace(), pod.name(), pod.uid(), pod.resourceVersion());
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
