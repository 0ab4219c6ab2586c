package io.pekkube.actors.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.events.EventRecorder;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.plugins.defaultbinder.DefaultBinder;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The scheduler's writes besides the binding, through the gateway: Events, the pod's status
 * (PodScheduled condition, nominatedNodeName) and the eviction of preemption victims. Reports are best
 * effort: a lost one is written again at the next failed cycle.
 */
final class SchedulerWriter {
  private static final int STATUS_ATTEMPTS = 3;
  private final ApiClient client;
  private final EventRecorder events;

  SchedulerWriter(ApiClient client) {
    this.client = client;
    this.events = new EventRecorder(client, DefaultBinder.USER,
        new EventRecorder.Source(SchedulingReports.COMPONENT, ""), Clock.systemUTC());
  }

  void scheduled(PodInfo pod, String nodeName) {
    events.record(SchedulingReports.involved(pod), "Normal", SchedulingReports.REASON_SCHEDULED, "Binding",
        SchedulingReports.scheduledMessage(pod, nodeName));
  }

  /** The FailedScheduling event and the PodScheduled=False condition. */
  CompletionStage<Void> unschedulable(PodInfo pod, String message) {
    events.record(SchedulingReports.involved(pod), "Warning", SchedulingReports.REASON_FAILED_SCHEDULING,
        "Scheduling", message);
    return updateStatus(pod, p -> SchedulingReports.withUnschedulableCondition(p, message, Instant.now()), 1);
  }

  CompletionStage<Void> nominate(PodInfo pod, String nodeName) {
    return updateStatus(pod, p -> SchedulingReports.withNominatedNode(p, nodeName), 1);
  }

  /** Deletes a preemption victim, only the very pod that was chosen (uid precondition). */
  CompletionStage<ResourceEntity.WriteResult> evict(PodInfo victim) {
    return client.delete(BuiltinTypes.POD, victim.namespace(), victim.name(), victim.uid(), "", false,
        DefaultBinder.USER);
  }

  private CompletionStage<Void> updateStatus(PodInfo pod, UnaryOperator<ObjectNode> change, int attempt) {
    return client.get(BuiltinTypes.POD, pod.namespace(), pod.name()).thenCompose(got -> {
      if (got.object() == null) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      ObjectNode current = Json.parseTrusted(got.object());
      if (!pod.uid().equals(Json.meta(current, "uid")) || current.path("spec").hasNonNull("nodeName")
          && !current.path("spec").path("nodeName").asText().isEmpty()) {
        return CompletableFuture.<Void>completedFuture(null); // replaced or bound meanwhile
      }
      ObjectNode next = change.apply(current);
      if (next == null) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      return client.update(BuiltinTypes.POD, pod.namespace(), next, true, false, DefaultBinder.USER)
          .thenCompose(r -> r instanceof ResourceEntity.Rejected rej && rej.error().code() == 409
              && attempt < STATUS_ATTEMPTS
              ? updateStatus(pod, change, attempt + 1) : CompletableFuture.<Void>completedFuture(null));
    });
  }
}
