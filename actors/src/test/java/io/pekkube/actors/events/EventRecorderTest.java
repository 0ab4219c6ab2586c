package io.pekkube.actors.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventRecorderTest {

  /** As client-go's recorder: an Event about a cluster-scoped object lives in "default", else in the object's. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "PersistentVolume      | ''   | default",
      "PersistentVolumeClaim | team | team"})
  void anEventLivesInItsObjectsNamespaceOrDefault(String kind, String namespace, String expected) {
    ObjectNode object = Json.parseTrusted("{\"apiVersion\":\"v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":"
        + "\"x\",\"namespace\":\"" + namespace + "\",\"uid\":\"u1\",\"resourceVersion\":\"7\"}}");
    ObjectNode event = EventRecorder.event(EventRecorder.Involved.of(object),
        new EventRecorder.Source("persistentvolume-controller", ""), "Warning", "Reason", "", "message",
        Instant.parse("2026-01-01T00:00:00Z"));
    assertEquals(expected, event.path("metadata").path("namespace").asText());
    assertEquals(namespace, event.path("involvedObject").path("namespace").asText());
    assertEquals(kind, event.path("involvedObject").path("kind").asText());
    assertEquals("u1", event.path("involvedObject").path("uid").asText());
  }
}
