package io.pekkube.node.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodStatusesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A container state in shorthand: W (waiting), WL (waiting after a run), R (running), T0/T1 (exited 0/1). */
  private static ContainerView view(String name, boolean init, String state) {
    ContainerView.Termination exit0 = new ContainerView.Termination(0, "Completed", "", T0, T0, "pekkube://a");
    ContainerView.Termination exit1 = new ContainerView.Termination(1, "Error", "", T0, T0, "pekkube://a");
    return switch (state) {
      case "W" -> new ContainerView(name, init, new ContainerView.Waiting("ContainerCreating", ""), null, 0, false,
          false, "", "img", "");
      case "WL" -> new ContainerView(name, init, new ContainerView.Waiting("CrashLoopBackOff", ""), exit1, 1, false,
          false, "pekkube://a", "img", "");
      case "R" -> new ContainerView(name, init, new ContainerView.Running(T0), null, 0, true, true, "pekkube://b",
          "img", "");
      case "T0" -> new ContainerView(name, init, new ContainerView.Terminated(exit0), null, 0, false, false,
          "pekkube://a", "img", "");
      default -> new ContainerView(name, init, new ContainerView.Terminated(exit1), null, 0, false, false,
          "pekkube://a", "img", "");
    };
  }

  private static List<ContainerView> views(String states, boolean init) {
    List<ContainerView> out = new ArrayList<>();
    int i = 0;
    for (String s : states.isBlank() ? new String[0] : states.split(" ")) {
      out.add(view((init ? "init" : "c") + i++, init, s));
    }
    return out;
  }

  @ParameterizedTest(name = "init [{0}] main [{1}] policy {2} -> {3}")
  @CsvSource({
      "'', W, Always, Pending",
      "'', R, Always, Running",
      "'', R W, Always, Pending",
      "'', T0, Always, Running",
      "'', WL, Always, Running",
      "'', T0, OnFailure, Succeeded",
      "'', T1, OnFailure, Running",
      "'', T0 T1, Never, Failed",
      "'', T0 T0, Never, Succeeded",
      "'', R T0, Never, Running",
      "R, W, Always, Pending",
      "T0, R, Always, Running",
      "T1, W, Never, Failed",
      "T1, W, Always, Pending",
  })
  void phaseFollowsGetPhase(String init, String main, String policy, String phase) {
    assertEquals(phase, PodStatuses.phase("", views(init, true), views(main, false), policy));
  }

  @ParameterizedTest(name = "main [{0}] policy {1} stopped for deletion -> {2}")
  @CsvSource({
      "T0, Always, Succeeded",
      "T0 T0, Always, Succeeded",
      "T0 T1, Always, Failed",
      "T1, OnFailure, Failed",
      "W, Always, Failed",
      "T0 W, Never, Failed",
  })
  void aPodStoppedForDeletionEndsInATerminalPhase(String main, String policy, String phase) {
    ObjectNode pod = Json.parseTrusted("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"restartPolicy\":\"" + policy
        + "\",\"containers\":[{\"name\":\"c0\"}]},\"status\":{\"phase\":\"Running\"}}");
    ObjectNode status = PodStatuses.compute(pod, List.of(), views(main, false),
        new PodStatuses.Placement("10.0.0.1", "10.0.0.1", T0), T0, true);
    assertEquals(phase, status.path("phase").asText());
    assertEquals("PodCompleted", condition(status, "Ready").path("reason").asText());
  }

  @Test
  void finishedPodsKeepTheirPhase() {
    assertEquals("Succeeded", PodStatuses.phase("Succeeded", List.of(), views("W", false), "Always"));
  }

  @Test
  void conditionsNameTheContainersNotReadyAndKeepTransitionTimes() {
    ObjectNode pod = Json.parseTrusted("""
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"c0"},{"name":"c1"}]},
         "status":{"conditions":[{"type":"PodScheduled","status":"True","lastTransitionTime":"2025-12-31T00:00:00Z"}]}}""");
    List<ContainerView> main = new ArrayList<>(views("R W", false));
    ObjectNode status = PodStatuses.compute(pod, List.of(), main,
        new PodStatuses.Placement("10.0.0.1", "10.0.0.1", T0), T0.plusSeconds(5));
    assertEquals("Pending", status.path("phase").asText());
    assertEquals("BestEffort", status.path("qosClass").asText());
    JsonNode ready = condition(status, "Ready");
    assertEquals("False", ready.path("status").asText());
    assertEquals("ContainersNotReady", ready.path("reason").asText());
    assertEquals("containers with unready status: [c1]", ready.path("message").asText());
    assertEquals("2025-12-31T00:00:00Z", condition(status, "PodScheduled").path("lastTransitionTime").asText());
    assertEquals("True", condition(status, "Initialized").path("status").asText());
    assertEquals("ContainerCreating", status.path("containerStatuses").get(1).path("state").path("waiting")
        .path("reason").asText());
    assertEquals("2026-01-01T00:00:00Z", status.path("startTime").asText());
  }

  @Test
  void crashLoopingContainerShowsItsLastTermination() {
    ObjectNode pod = Json.parseTrusted("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c0\"}]}}");
    ObjectNode status = PodStatuses.compute(pod, List.of(), views("WL", false),
        new PodStatuses.Placement("10.0.0.1", "10.0.0.1", T0), T0);
    JsonNode c = status.path("containerStatuses").get(0);
    assertEquals("CrashLoopBackOff", c.path("state").path("waiting").path("reason").asText());
    assertEquals(1, c.path("lastState").path("terminated").path("exitCode").asInt());
    assertEquals(1, c.path("restartCount").asInt());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {} | BestEffort
      {"limits":{"cpu":"1","memory":"1Gi"}} | Guaranteed
      {"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"1000m","memory":"1Gi"}} | Guaranteed
      {"requests":{"cpu":"100m"}} | Burstable
      {"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m"}} | Burstable
      """)
  void qosClass(String resources, String expected) {
    ObjectNode pod = Json.parseTrusted("{\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":" + resources + "}]}}");
    assertEquals(expected, PodStatuses.qosClass(pod));
  }

  private static JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    throw new AssertionError("no condition " + type);
  }
}
