package io.pekkube.actors.scheduler.framework;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjIntConsumer;

/**
 * How many placed pods of some kind (a {@link PodQuery}'s) each node has, and their sum per topology pair
 * (label key, value) over the nodes that exist: Kubernetes' per-domain pod counts, kept up to date as pods
 * and nodes change instead of recounted every cycle. A node without a Node object is in no domain.
 */
public final class TopologyTally {
  private final Map<NodeInfo, Integer> perNode = new HashMap<>();
  private final Map<String, Map<String, Integer>> perPair = new HashMap<>();

  /** {@code delta} pods more on {@code node}. */
  public void add(NodeInfo node, int delta) {
    if (delta == 0) {
      return;
    }
    int now = perNode.getOrDefault(node, 0) + delta;
    if (now == 0) {
      perNode.remove(node);
    } else {
      perNode.put(node, now);
    }
    addToPairs(node, delta);
  }

  /** Before {@code node}'s labels or existence change: its pods leave their domains. */
  public void detach(NodeInfo node) {
    Integer n = perNode.get(node);
    if (n != null) {
      addToPairs(node, -n);
    }
  }

  /** After the change: its pods join their (new) domains. */
  public void attach(NodeInfo node) {
    Integer n = perNode.get(node);
    if (n != null) {
      addToPairs(node, n);
    }
  }

  public int onNode(NodeInfo node) {
    return perNode.getOrDefault(node, 0);
  }

  /** The pods on the existing nodes whose label {@code key} is {@code value}. */
  public int inDomain(String key, String value) {
    Map<String, Integer> values = perPair.get(key);
    Integer n = values == null ? null : values.get(value);
    return n == null ? 0 : n;
  }

  public boolean isEmpty() {
    return perNode.isEmpty();
  }

  /** The values of label {@code key} with anything counted. */
  public Set<String> values(String key) {
    Map<String, Integer> values = perPair.get(key);
    return values == null ? Set.of() : values.keySet();
  }

  /** Each node with pods counted here (Node object or not) and its count. */
  public void forEachNode(ObjIntConsumer<NodeInfo> action) {
    perNode.forEach(action::accept);
  }

  private void addToPairs(NodeInfo node, int delta) {
    if (!node.exists()) {
      return;
    }
    for (Map.Entry<String, String> label : node.labels().entrySet()) {
      Map<String, Integer> values = perPair.computeIfAbsent(label.getKey(), k -> new HashMap<>());
      int now = values.getOrDefault(label.getValue(), 0) + delta;
      if (now == 0) {
        values.remove(label.getValue());
        if (values.isEmpty()) {
          perPair.remove(label.getKey());
        }
      } else {
        values.put(label.getValue(), now);
      }
    }
  }
}
