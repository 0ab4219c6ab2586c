package io.pekkube.actors.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * When the controller last heard from each node's kubelet, by its own clock (as Kubernetes' probe
 * timestamps): a node is heard from when its Lease's {@code renewTime} or its Ready condition's
 * {@code lastHeartbeatTime} takes a new value. The kubelet's timestamps are only compared for change,
 * never against this clock, so skew between hosts does not matter. A node first seen (also after the
 * controller restarted or moved) counts as heard from then, so it gets a whole grace period.
 */
final class HeartbeatTracker {

  private record Heard(String leaseRenewTime, String readyHeartbeat, Instant at) {}

  private final Map<String, Heard> nodes = new HashMap<>();

  /** The node's current object (its Ready heartbeat); keeps the lease renewal it knew. */
  void observeNode(JsonNode node, Instant now) {
    String name = node.path("metadata").path("name").asText();
    Heard previous = nodes.get(name);
    observe(name, previous == null ? "" : previous.leaseRenewTime(), readyHeartbeat(node), now);
  }

  /** The node's Lease in {@code kube-node-lease} (named after the node). */
  void observeLease(JsonNode lease, Instant now) {
    String name = lease.path("metadata").path("name").asText();
    Heard previous = nodes.get(name);
    observe(name, lease.path("spec").path("renewTime").asText(""),
        previous == null ? "" : previous.readyHeartbeat(), now);
  }

  private void observe(String name, String renew, String heartbeat, Instant now) {
    Heard previous = nodes.get(name);
    if (previous == null || !previous.leaseRenewTime().equals(renew) || !previous.readyHeartbeat().equals(heartbeat)) {
      nodes.put(name, new Heard(renew, heartbeat, now));
    }
  }

  /** When the node was last heard from; {@code now} (and remembered) for a node never seen. */
  Instant lastHeard(String node, Instant now) {
    return nodes.computeIfAbsent(node, n -> new Heard("", "", now)).at();
  }

  void forget(String node) {
    nodes.remove(node);
  }

  static String readyHeartbeat(JsonNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return c.path("lastHeartbeatTime").asText("");
      }
    }
    return "";
  }
}
