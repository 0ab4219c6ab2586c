package io.pekkube.actors.controllers.eventttl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventExpiryTest {
  static final Instant SEEN = Instant.parse("2024-05-01T10:00:00.700Z");
  static final Duration TTL = Duration.ofHours(1);

  static ObjectNode event(String created, String... managedFieldsTimes) {
    ObjectNode event = Json.parseTrusted("{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"e\","
        + "\"namespace\":\"default\"},\"lastTimestamp\":\"2020-01-01T00:00:00Z\",\"eventTime\":null,"
        + "\"series\":{\"lastObservedTime\":\"2030-01-01T00:00:00.000000Z\"}}");
    ObjectNode meta = (ObjectNode) event.get("metadata");
    if (created != null) {
      meta.put("creationTimestamp", created);
    }
    for (String time : managedFieldsTimes) {
      meta.withArray("managedFields").addObject().put("manager", "m").put("operation", "Update").put("time", time);
    }
    return event;
  }

  @Test
  void anEventWrittenOnceCountsFromTheEndOfTheSecondItWasCreatedIn() {
    Instant last = EventExpiry.lastWrite(event("2024-05-01T09:00:00Z", "2024-05-01T09:00:00Z"), SEEN);
    assertEquals(Instant.parse("2024-05-01T09:00:01Z"), last);
    assertEquals(Instant.parse("2024-05-01T10:00:01Z"), EventExpiry.expiresAt(last, TTL));
  }

  @Test
  void anEventWrittenAgainCountsFromItsLatestManagedFieldsTime() {
    Instant last = EventExpiry.lastWrite(
        event("2024-05-01T08:00:00Z", "2024-05-01T09:30:00Z", "2024-05-01T08:10:00Z"), SEEN);
    assertEquals(Instant.parse("2024-05-01T09:30:01Z"), last);
  }

  @Test
  void theReportersTimesAreNotTheWriteTime() {
    // lastTimestamp (2020) and series.lastObservedTime (2030) are the client's; creationTimestamp decides.
    assertEquals(Instant.parse("2024-05-01T09:00:01Z"), EventExpiry.lastWrite(event("2024-05-01T09:00:00Z"), SEEN));
  }

  @Test
  void aTimeAfterTheEventWasSeenCountsAsWhenItWasSeen() {
    assertEquals(SEEN, EventExpiry.lastWrite(event("2024-05-01T09:00:00Z", "2099-01-01T00:00:00Z"), SEEN));
    // Written in the second it was seen: the end of that second is later than now.
    assertEquals(SEEN, EventExpiry.lastWrite(event("2024-05-01T10:00:00Z"), SEEN));
  }

  @Test
  void anEventWithoutTimesCountsFromWhenItWasSeen() {
    assertEquals(SEEN, EventExpiry.lastWrite(event(null), SEEN));
    assertEquals(SEEN, EventExpiry.lastWrite(event("not a time"), SEEN));
  }

  @Test
  void anEventWithADeletionTimestampIsLeftToItsFinalizers() {
    ObjectNode event = event("2024-05-01T09:00:00Z");
    assertFalse(EventExpiry.beingDeleted(event));
    ((ObjectNode) event.get("metadata")).put("deletionTimestamp", "2024-05-01T09:10:00Z");
    assertTrue(EventExpiry.beingDeleted(event));
  }
}
