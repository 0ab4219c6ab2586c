package io.pekkube.actors.controllers.podgc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrphanedPodsTest {
  static final Instant NOW = Instant.parse("2024-05-01T10:00:00.700Z");

  static ObjectNode pod(String phase) {
    ObjectNode pod = Json.object();
    ObjectNode status = pod.putObject("status").put("phase", phase);
    status.putArray("conditions").addObject().put("type", "Ready").put("status", "True");
    return pod;
  }

  @Test
  void nodesMissingFromAFreshListAreGone() {
    assertEquals(Set.of("b"), OrphanedPods.gone(Set.of("a", "b"), List.of("a", "c")));
    assertEquals(Set.of(), OrphanedPods.gone(Set.of(), List.of("a")));
  }

  @Test
  void aRunningPodOfAGoneNodeIsMarkedFailedWithTheDisruptionTargetCondition() {
    ObjectNode status = OrphanedPods.failedStatus(pod("Running"), NOW).orElseThrow();
    assertEquals("Failed", status.path("phase").asText());
    JsonNode target = status.path("conditions").path(1);
    assertEquals("Ready", status.path("conditions").path(0).path("type").asText());
    assertEquals("DisruptionTarget", target.path("type").asText());
    assertEquals("True", target.path("status").asText());
    assertEquals("DeletionByPodGC", target.path("reason").asText());
    assertEquals("PodGC: node no longer exists", target.path("message").asText());
    assertEquals("2024-05-01T10:00:00Z", target.path("lastTransitionTime").asText());
  }

  @Test
  void aTerminalPodKeepsItsStatus() {
    assertTrue(OrphanedPods.failedStatus(pod("Succeeded"), NOW).isEmpty());
    assertTrue(OrphanedPods.failedStatus(pod("Failed"), NOW).isEmpty());
  }
}
