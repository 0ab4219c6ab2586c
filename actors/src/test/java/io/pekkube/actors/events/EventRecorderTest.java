package io.pekkube.actors.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
  private static final EventRecorder.Source SOURCE = new EventRecorder.Source("persistentvolume-controller", "");

  @Test
  void anEventAboutAClusterScopedObjectLivesInDefaultAsClientGoPutsIt() {
    ObjectNode pv = Json.parseTrusted("""
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv1","uid":"u1","resourceVersion":"7"}}""");
    ObjectNode event = EventRecorder.event(EventRecorder.Involved.of(pv), SOURCE, "Warning", "VolumeFailedDelete", "",
        "boom", Instant.parse("2026-01-01T00:00:00Z"));
    assertEquals("default", event.path("metadata").path("namespace").asText());
    assertEquals("", event.path("involvedObject").path("namespace").asText());
    assertEquals("PersistentVolume", event.path("involvedObject").path("kind").asText());
    assertEquals("u1", event.path("involvedObject").path("uid").asText());
  }

  @Test
  void anEventAboutANamespacedObjectLivesInItsNamespace() {
    ObjectNode pvc = Json.parseTrusted("""
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","namespace":"team","uid":"u2"}}""");
    ObjectNode event = EventRecorder.event(EventRecorder.Involved.of(pvc), SOURCE, "Normal", "FailedBinding", "",
        "no", Instant.parse("2026-01-01T00:00:00Z"));
    assertEquals("team", event.path("metadata").path("namespace").asText());
    assertEquals("data", event.path("involvedObject").path("name").asText());
  }
}
