package io.pekkube.actors.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The node lifecycle controller's decision for one Node, pure: given the node, when its kubelet was last
 * heard from (a Lease renewal or a new Ready heartbeat, as the controller observed it) and now, which
 * writes bring it to what Kubernetes' node lifecycle controller would make of it.
 *
 * <ul>
 *   <li>Not heard from for longer than the grace period: every node condition becomes {@code Unknown}
 *       ({@code NodeStatusUnknown}, "Kubelet stopped posting node status."; one never reported gets
 *       {@code NodeStatusNeverUpdated}).</li>
 *   <li>Ready {@code Unknown} → {@code node.kubernetes.io/unreachable} NoExecute and NoSchedule; Ready
 *       {@code False} → {@code node.kubernetes.io/not-ready} NoExecute and NoSchedule; Ready {@code True}
 *       → neither. {@code spec.unschedulable} → {@code node.kubernetes.io/unschedulable:NoSchedule}.</li>
 *   <li>Other taints are never touched; a wanted taint already there keeps its {@code timeAdded}.</li>
 * </ul>
 */
public final class NodeHealth {

  /** The conditions a kubelet reports and the controller marks Unknown (Kubernetes' list). */
  static final List<String> CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
  static final String REASON_UNKNOWN = "NodeStatusUnknown";
  static final String MESSAGE_UNKNOWN = "Kubelet stopped posting node status.";
  static final String REASON_NEVER_UPDATED = "NodeStatusNeverUpdated";
  static final String MESSAGE_NEVER_UPDATED = "Kubelet never posted node status.";

  /** The taints this controller owns; all others belong to someone else. */
  private static final List<Taint> MANAGED = List.of(
      Taint.of(Taint.NOT_READY, Taint.NO_EXECUTE), Taint.of(Taint.NOT_READY, Taint.NO_SCHEDULE),
      Taint.of(Taint.UNREACHABLE, Taint.NO_EXECUTE), Taint.of(Taint.UNREACHABLE, Taint.NO_SCHEDULE),
      Taint.of(Taint.UNSCHEDULABLE, Taint.NO_SCHEDULE));

  private NodeHealth() {}

  /** The writes to make, conditions first (the taints follow from them); empty when the node is as it should be. */
  public static List<NodeAction> decide(JsonNode node, Instant lastHeard, Instant now, Duration grace) {
    List<NodeAction> actions = new ArrayList<>();
    ArrayNode conditions = node.path("status").path("conditions") instanceof ArrayNode a
        ? a.deepCopy() : Json.MAPPER.createArrayNode();
    if (now.isAfter(lastHeard.plus(grace)) && markUnknown(conditions, node, now)) {
      actions.add(new NodeAction.SetConditions(conditions));
    }
    List<Taint> current = Taint.of(node);
    List<Taint> wanted = wantedTaints(readyStatus(conditions), node.path("spec").path("unschedulable").asBoolean(false));
    List<Taint> next = new ArrayList<>();
    for (Taint t : current) {
      boolean managed = MANAGED.stream().anyMatch(t::sameAs);
      if (!managed || wanted.stream().anyMatch(t::sameAs)) {
        next.add(t);
      }
    }
    for (Taint w : wanted) {
      if (next.stream().noneMatch(w::sameAs)) {
        next.add(Taint.NO_EXECUTE.equals(w.effect()) ? new Taint(w.key(), "", w.effect(), now) : w);
      }
    }
    if (next.size() != current.size() || !next.containsAll(current)) {
      actions.add(new NodeAction.SetTaints(next));
    }
    return actions;
  }

  /**
   * The part of a Node that {@link #decide} and taint eviction read (name, creation time, spec, status
   * conditions): what the controller keeps of every Node, a fifth of the whole tree, which also carries
   * managedFields, capacity, images and node info.
   */
  public static ObjectNode decidingFields(JsonNode node) {
    ObjectNode slim = Json.object();
    ObjectNode meta = slim.putObject("metadata").put("name", Json.meta(node, "name"));
    copy(node.path("metadata"), "creationTimestamp", meta);
    copy(node, "spec", slim);
    copy(node.path("status"), "conditions", slim.putObject("status"));
    return slim;
  }

  private static void copy(JsonNode from, String field, ObjectNode to) {
    if (from.hasNonNull(field)) {
      to.set(field, from.get(field).deepCopy());
    }
  }

  /** The status of the Ready condition ("True", "False", "Unknown"), "" when there is none. */
  static String readyStatus(JsonNode conditions) {
    for (JsonNode c : conditions) {
      if ("Ready".equals(c.path("type").asText())) {
        return c.path("status").asText("");
      }
    }
    return "";
  }

  static List<Taint> wantedTaints(String ready, boolean unschedulable) {
    List<Taint> wanted = new ArrayList<>();
    switch (ready) {
      case "False" -> {
        wanted.add(Taint.of(Taint.NOT_READY, Taint.NO_EXECUTE));
        wanted.add(Taint.of(Taint.NOT_READY, Taint.NO_SCHEDULE));
      }
      case "Unknown" -> {
        wanted.add(Taint.of(Taint.UNREACHABLE, Taint.NO_EXECUTE));
        wanted.add(Taint.of(Taint.UNREACHABLE, Taint.NO_SCHEDULE));
      }
      default -> { }
    }
    if (unschedulable) {
      wanted.add(Taint.of(Taint.UNSCHEDULABLE, Taint.NO_SCHEDULE));
    }
    return wanted;
  }

  /** Sets every kubelet condition to Unknown as Kubernetes does; true when anything changed. */
  private static boolean markUnknown(ArrayNode conditions, JsonNode node, Instant now) {
    boolean changed = false;
    String at = Times.format(now);
    for (String type : CONDITIONS) {
      ObjectNode condition = null;
      for (JsonNode c : conditions) {
        if (type.equals(c.path("type").asText()) && c instanceof ObjectNode o) {
          condition = o;
        }
      }
      if (condition == null) {
        ObjectNode added = conditions.addObject();
        added.put("type", type);
        added.put("status", "Unknown");
        String created = node.path("metadata").path("creationTimestamp").asText("");
        if (!created.isEmpty()) {
          added.put("lastHeartbeatTime", created);
        }
        added.put("lastTransitionTime", at);
        added.put("reason", REASON_NEVER_UPDATED);
        added.put("message", MESSAGE_NEVER_UPDATED);
        changed = true;
      } else if (!"Unknown".equals(condition.path("status").asText())) {
        condition.put("status", "Unknown");
        condition.put("lastTransitionTime", at);
        condition.put("reason", REASON_UNKNOWN);
        condition.put("message", MESSAGE_UNKNOWN);
        changed = true;
      }
    }
    return changed;
  }
}
