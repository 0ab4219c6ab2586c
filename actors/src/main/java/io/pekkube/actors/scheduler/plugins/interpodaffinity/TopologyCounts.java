package io.pekkube.actors.scheduler.plugins.interpodaffinity;

import java.util.HashMap;
import java.util.Map;

/**
 * A count per topology pair (key, value), Kubernetes' {@code topologyToMatchedTermCount}. Pairs that drop
 * to zero are removed, so {@link #isEmpty} means "no pair counted". Looked up without allocating.
 */
final class TopologyCounts {
  private final Map<String, Map<String, Long>> byKey = new HashMap<>();

  /** Adds {@code delta} at the node's value of {@code key}; a node without the label adds nothing. */
  void add(String key, Map<String, String> nodeLabels, long delta) {
    String value = nodeLabels.get(key);
    if (value == null || delta == 0) {
      return;
    }
    Map<String, Long> values = byKey.computeIfAbsent(key, k -> new HashMap<>());
    long sum = values.getOrDefault(value, 0L) + delta;
    if (sum == 0) {
      values.remove(value);
      if (values.isEmpty()) {
        byKey.remove(key);
      }
    } else {
      values.put(value, sum);
    }
  }

  long get(String key, String value) {
    Map<String, Long> values = byKey.get(key);
    Long n = values == null ? null : values.get(value);
    return n == null ? 0 : n;
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  /** The sum over the topology keys counted here of the count at the node's value. */
  long sumFor(Map<String, String> nodeLabels) {
    long sum = 0;
    for (Map.Entry<String, Map<String, Long>> e : byKey.entrySet()) {
      String value = nodeLabels.get(e.getKey());
      if (value != null) {
        sum += e.getValue().getOrDefault(value, 0L);
      }
    }
    return sum;
  }

  /** Some label of the node is a pair counted above zero. */
  boolean anyPositive(Map<String, String> nodeLabels) {
    for (Map.Entry<String, Map<String, Long>> e : byKey.entrySet()) {
      String value = nodeLabels.get(e.getKey());
      if (value != null && e.getValue().getOrDefault(value, 0L) > 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return byKey.toString();
  }
}
