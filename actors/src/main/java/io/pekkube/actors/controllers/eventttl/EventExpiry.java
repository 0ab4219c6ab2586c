package io.pekkube.actors.controllers.eventttl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When an Event's time is up. Kubernetes stores every Event write with an etcd lease of {@code --event-ttl},
 * so an Event lives at least the TTL after its last write, however it was written.
 *
 * <p>The last write is known without a read of the store or the journal:
 * <ul>
 *   <li>An Event seen in the watch was written just then: the hub releases each write once, right after it
 *   is committed, so the time it is seen is its last write (a little late at most, never early).</li>
 *   <li>An Event seen in a LIST (at start-up, or after a lost watch) carries the times the API server put
 *   on its writes: {@code creationTimestamp}, and in {@code managedFields} the time of the last write of
 *   each manager, stamped on every write that changes the object. The latest of them is its last write.
 *   These come with the object the hub keeps anyway, so nothing is persisted beside it and a restarted
 *   controller finds the same deadlines. They are whole seconds, so the write happened before the end of
 *   that second, from which the TTL is counted.</li>
 * </ul>
 * {@code lastTimestamp}, {@code eventTime} and {@code series.lastObservedTime} are not used: they are the
 * reporter's clock and its choice (an Event may be written with an old {@code lastTimestamp}), not the time
 * of the write. A time later than when the Event was seen (a client's own managedFields) counts as then.
 */
public final class EventExpiry {

  private EventExpiry() {}

  /** The deadline of an Event written at {@code lastWrite}. */
  public static Instant expiresAt(Instant lastWrite, Duration ttl) {
    return lastWrite.plus(ttl);
  }

  /** The last write of an Event seen in a LIST at {@code seenAt}, from the API server's times on it. */
  public static Instant lastWrite(JsonNode event, Instant seenAt) {
    JsonNode meta = event.path("metadata");
    Instant latest = stamp(meta.path("creationTimestamp")).orElse(null);
    for (JsonNode entry : meta.path("managedFields")) {
      Instant time = stamp(entry.path("time")).orElse(null);
      if (time != null && (latest == null || time.isAfter(latest))) {
        latest = time;
      }
    }
    if (latest == null) {
      return seenAt;
    }
    Instant endOfSecond = latest.plusSeconds(1);
    return endOfSecond.isAfter(seenAt) ? seenAt : endOfSecond;
  }

  /** An Event being deleted already waits for its finalizers; its deletion is theirs to finish. */
  public static boolean beingDeleted(JsonNode event) {
    return !event.path("metadata").path("deletionTimestamp").asText("").isEmpty();
  }

  private static Optional<Instant> stamp(JsonNode time) {
    if (!time.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(time.asText()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
