package io.pekkube.actors.controllers.nodelifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.api.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeartbeatTrackerTest {
  private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");

  private static com.fasterxml.jackson.databind.node.ObjectNode lease(String renew) {
    return Json.parseTrusted("{\"metadata\":{\"name\":\"n1\",\"namespace\":\"kube-node-lease\"},"
        + "\"spec\":{\"renewTime\":\"" + renew + "\",\"leaseDurationSeconds\":40}}");
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode node(String heartbeat) {
    return Json.parseTrusted("{\"metadata\":{\"name\":\"n1\"},\"status\":{\"conditions\":[{\"type\":\"Ready\","
        + "\"status\":\"True\",\"lastHeartbeatTime\":\"" + heartbeat + "\"}]}}");
  }

  @Test
  void aNodeIsHeardFromWhenItsLeaseOrItsHeartbeatChangesByTheControllersClock() {
    HeartbeatTracker tracker = new HeartbeatTracker();
    tracker.observeNode(node("2020-01-01T00:00:00Z"), T0);
    assertEquals(T0, tracker.lastHeard("n1", T0.plusSeconds(50)), "first sight starts the clock");
    tracker.observeLease(lease("2020-01-01T00:00:10.000000Z"), T0.plusSeconds(10));
    assertEquals(T0.plusSeconds(10), tracker.lastHeard("n1", T0.plusSeconds(50)));
    tracker.observeLease(lease("2020-01-01T00:00:10.000000Z"), T0.plusSeconds(20));
    assertEquals(T0.plusSeconds(10), tracker.lastHeard("n1", T0.plusSeconds(50)), "the same renewal again is not news");
    tracker.observeNode(node("2020-01-01T00:00:00Z"), T0.plusSeconds(25));
    assertEquals(T0.plusSeconds(10), tracker.lastHeard("n1", T0.plusSeconds(50)), "nor is an unchanged heartbeat");
    tracker.observeNode(node("2020-01-01T00:00:30Z"), T0.plusSeconds(30));
    assertEquals(T0.plusSeconds(30), tracker.lastHeard("n1", T0.plusSeconds(50)));
  }

  @Test
  void aNodeNeverSeenGetsAWholeGracePeriodFromNow() {
    HeartbeatTracker tracker = new HeartbeatTracker();
    assertEquals(T0, tracker.lastHeard("n2", T0));
    assertEquals(T0, tracker.lastHeard("n2", T0.plusSeconds(60)));
  }
}
