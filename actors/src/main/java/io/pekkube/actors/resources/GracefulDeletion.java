package io.pekkube.actors.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ResourceType;
import java.time.Instant;

/**
 * Graceful deletion as the registry's {@code BeforeDelete} decides it with the pod strategy's
 * {@code CheckGracefulDelete}. Pods are the one built-in type deleted gracefully: a DELETE sets
 * {@code deletionTimestamp} to now plus the grace period and {@code deletionGracePeriodSeconds} to
 * that period, and the object stays until its kubelet has stopped the containers and deletes it with
 * grace 0. The period is the request's {@code gracePeriodSeconds}, else the pod's
 * {@code spec.terminationGracePeriodSeconds}; it is 0 for a pod bound to no node or already
 * Succeeded or Failed. A later DELETE may shorten a pending grace period, never lengthen it.
 */
public final class GracefulDeletion {

  /** What a DELETE does about grace. */
  public sealed interface Plan permits NotGraceful, Mark, Pending {}

  /** No grace period applies: the object goes at once, unless finalizers hold it. */
  public record NotGraceful() implements Plan {}

  /**
   * Set {@code deletionTimestamp} to {@code at} and {@code deletionGracePeriodSeconds} to
   * {@code seconds}; with 0 the object goes at once unless finalizers hold it. {@code first}: the
   * object was not being deleted yet (its generation is bumped).
   */
  public record Mark(Instant at, long seconds, boolean first) implements Plan {}

  /** A graceful deletion is already running and the request does not shorten it: nothing changes. */
  public record Pending() implements Plan {}

  private GracefulDeletion() {}

  /** {@code requestedSeconds}: the request's gracePeriodSeconds, null when it named none. */
  public static Plan plan(ResourceType type, JsonNode current, Long requestedSeconds, Instant now) {
    if (!deletedGracefully(type)) {
      return new NotGraceful();
    }
    // Negative values count as 1 second on the delete path.
    Long requested = requestedSeconds != null && requestedSeconds < 0 ? Long.valueOf(1) : requestedSeconds;
    JsonNode meta = current.path("metadata");
    if (meta.hasNonNull("deletionTimestamp")) {
      JsonNode existing = meta.path("deletionGracePeriodSeconds");
      if (!existing.isNumber() || existing.asLong() == 0) {
        // Marked for deletion with no grace left (or by finalizers only): it may go now.
        return new NotGraceful();
      }
      long pending = Math.max(existing.asLong(), 1);
      if (requested == null || requested >= pending) {
        return new Pending();
      }
      Instant at = Instant.parse(meta.path("deletionTimestamp").asText()).minusSeconds(pending).plusSeconds(requested);
      return new Mark(at, requested, false);
    }
    long seconds = podGracePeriod(current, requested);
    return new Mark(now.plusSeconds(seconds), seconds, true);
  }

  /** Types whose strategy implements {@code RESTGracefulDeleteStrategy}: pods. */
  static boolean deletedGracefully(ResourceType type) {
    return "Pod".equals(type.kind()) && "v1".equals(type.apiVersion());
  }

  /** The pod strategy's {@code CheckGracefulDelete}. */
  static long podGracePeriod(JsonNode pod, Long requested) {
    JsonNode spec = pod.path("spec");
    long period = requested != null ? requested
        : spec.path("terminationGracePeriodSeconds").isNumber() ? spec.path("terminationGracePeriodSeconds").asLong() : 0;
    if (spec.path("nodeName").asText("").isEmpty()) {
      period = 0;
    }
    String phase = pod.path("status").path("phase").asText("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      period = 0;
    }
    return period < 0 ? 1 : period;
  }
}
