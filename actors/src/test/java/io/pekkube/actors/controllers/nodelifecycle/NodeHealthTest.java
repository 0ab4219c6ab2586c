package io.pekkube.actors.controllers.nodelifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class NodeHealthTest {
  private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(20);
  private static final Instant RECENT = NOW.minusSeconds(5);
  private static final Instant SILENT = NOW.minusSeconds(21);

  private static ObjectNode node(String ready, boolean unschedulable, String taints) {
    String conditions = ready == null ? "[]"
        : "[{\"type\":\"Ready\",\"status\":\"" + ready + "\",\"reason\":\"KubeletReady\","
            + "\"lastHeartbeatTime\":\"2026-12-07T05:59:00Z\",\"lastTransitionTime\":\"2026-12-07T05:00:00Z\"},"
            + "{\"type\":\"MemoryPressure\",\"status\":\"False\",\"reason\":\"KubeletHasSufficientMemory\"}]";
    return Json.parseTrusted("{\"metadata\":{\"name\":\"n1\",\"creationTimestamp\":\"2026-12-07T05:00:00Z\"},"
        + "\"spec\":{\"unschedulable\":" + unschedulable + ",\"taints\":" + taints + "},"
        + "\"status\":{\"conditions\":" + conditions + "}}");
  }

  private static final String UNREACHABLE = "[{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\","
      + "\"timeAdded\":\"2026-12-07T05:59:30Z\"},{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoSchedule\"}]";
  private static final String OTHER = "[{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}]";

  static Stream<Arguments> taintTable() {
    return Stream.of(
        // ready, unschedulable, taints now, last heard, expected keys:effects after (null = no taint write)
        Arguments.of("True", false, "[]", RECENT, null),
        Arguments.of("False", false, "[]", RECENT,
            List.of("node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule")),
        Arguments.of("Unknown", false, "[]", RECENT,
            List.of("node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule")),
        Arguments.of("Unknown", false, UNREACHABLE, RECENT, null),
        Arguments.of("True", false, UNREACHABLE, RECENT, List.of()),
        Arguments.of("True", true, "[]", RECENT, List.of("node.kubernetes.io/unschedulable:NoSchedule")),
        Arguments.of("True", false, "[{\"key\":\"node.kubernetes.io/unschedulable\",\"effect\":\"NoSchedule\"}]",
            RECENT, List.of()),
        Arguments.of("True", false, OTHER, RECENT, null),
        Arguments.of("True", true, OTHER, RECENT, List.of("dedicated:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule")),
        Arguments.of("False", false, UNREACHABLE, RECENT,
            List.of("node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule")),
        Arguments.of("True", false, OTHER, SILENT,
            List.of("dedicated:NoSchedule", "node.kubernetes.io/unreachable:NoExecute",
                "node.kubernetes.io/unreachable:NoSchedule")),
        Arguments.of(null, false, "[]", RECENT, null));
  }

  @ParameterizedTest
  @MethodSource("taintTable")
  void taintsFollowReadinessAndUnschedulable(String ready, boolean unschedulable, String taints, Instant lastHeard,
      List<String> expected) {
    List<NodeAction> actions = NodeHealth.decide(node(ready, unschedulable, taints), lastHeard, NOW, GRACE);
    List<NodeAction.SetTaints> taintWrites = actions.stream()
        .filter(a -> a instanceof NodeAction.SetTaints).map(a -> (NodeAction.SetTaints) a).toList();
    if (expected == null) {
      assertTrue(taintWrites.isEmpty(), actions.toString());
    } else {
      assertEquals(1, taintWrites.size(), actions.toString());
      assertEquals(expected, taintWrites.get(0).taints().stream().map(t -> t.key() + ":" + t.effect()).toList());
    }
  }

  @ParameterizedTest
  @MethodSource("taintTable")
  void theFieldsTheControllerKeepsDecideAsTheWholeNodeDoes(String ready, boolean unschedulable, String taints,
      Instant lastHeard, List<String> ignored) {
    ObjectNode whole = node(ready, unschedulable, taints);
    ((ObjectNode) whole.path("metadata")).putArray("managedFields").addObject().put("manager", "kubelet");
    ((ObjectNode) whole.path("status")).putObject("capacity").put("cpu", "4");
    ((ObjectNode) whole.path("status")).putArray("images").addObject().putArray("names").add("pause:3.10");
    ObjectNode kept = NodeHealth.decidingFields(whole);
    assertTrue(kept.path("metadata").path("managedFields").isMissingNode());
    assertTrue(kept.path("status").path("images").isMissingNode());
    for (Instant heard : List.of(lastHeard, SILENT)) {
      assertEquals(NodeHealth.decide(whole, heard, NOW, GRACE), NodeHealth.decide(kept, heard, NOW, GRACE));
    }
  }

  @Test
  void silentNodeHasEveryConditionSetUnknownAndConditionsAreWrittenBeforeTaints() {
    List<NodeAction> actions = NodeHealth.decide(node("True", false, "[]"), SILENT, NOW, GRACE);
    assertEquals(2, actions.size());
    JsonNode conditions = ((NodeAction.SetConditions) actions.get(0)).conditions();
    JsonNode ready = conditions.get(0);
    assertEquals("Unknown", ready.path("status").asText());
    assertEquals("NodeStatusUnknown", ready.path("reason").asText());
    assertEquals("Kubelet stopped posting node status.", ready.path("message").asText());
    assertEquals("2026-12-07T06:00:00Z", ready.path("lastTransitionTime").asText());
    assertEquals("2026-12-07T05:59:00Z", ready.path("lastHeartbeatTime").asText(), "the heartbeat is the kubelet's");
    assertEquals("Unknown", conditions.get(1).path("status").asText(), "MemoryPressure too");
    for (String never : List.of("DiskPressure", "PIDPressure")) {
      JsonNode c = find(conditions, never);
      assertEquals("Unknown", c.path("status").asText());
      assertEquals("NodeStatusNeverUpdated", c.path("reason").asText());
      assertEquals("Kubelet never posted node status.", c.path("message").asText());
      assertEquals("2026-12-07T05:00:00Z", c.path("lastHeartbeatTime").asText());
    }
    Taint noExecute = ((NodeAction.SetTaints) actions.get(1)).taints().get(0);
    assertEquals(NOW, noExecute.timeAdded(), "a NoExecute taint is dated for taint-based eviction");
  }

  @Test
  void nodeAlreadyUnknownAndTaintedNeedsNothing() {
    ObjectNode node = node("Unknown", false, UNREACHABLE);
    for (JsonNode c : node.path("status").path("conditions")) {
      ((ObjectNode) c).put("status", "Unknown");
    }
    ((com.fasterxml.jackson.databind.node.ArrayNode) node.path("status").path("conditions"))
        .addObject().put("type", "DiskPressure").put("status", "Unknown");
    ((com.fasterxml.jackson.databind.node.ArrayNode) node.path("status").path("conditions"))
        .addObject().put("type", "PIDPressure").put("status", "Unknown");
    assertEquals(List.of(), NodeHealth.decide(node, SILENT, NOW, GRACE));
  }

  @Test
  void nodeThatNeverReportedIsMarkedAfterTheGracePeriodOnly() {
    assertEquals(List.of(), NodeHealth.decide(node(null, false, "[]"), RECENT, NOW, GRACE));
    List<NodeAction> actions = NodeHealth.decide(node(null, false, "[]"), SILENT, NOW, GRACE);
    JsonNode ready = find(((NodeAction.SetConditions) actions.get(0)).conditions(), "Ready");
    assertEquals("NodeStatusNeverUpdated", ready.path("reason").asText());
    assertEquals("Unknown", ready.path("status").asText());
  }

  @Test
  void keptTaintKeepsItsTimeAdded() {
    List<NodeAction> actions = NodeHealth.decide(node("Unknown", true, UNREACHABLE), RECENT, NOW, GRACE);
    List<Taint> taints = ((NodeAction.SetTaints) actions.get(0)).taints();
    assertEquals(Instant.parse("2026-12-07T05:59:30Z"), taints.get(0).timeAdded());
    assertEquals(3, taints.size());
  }

  private static JsonNode find(JsonNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    throw new AssertionError("no " + type + " in " + conditions);
  }
}
