package io.pekkube.actors.scheduler.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * No node fits: how many nodes there were and why each was rejected. {@link #message} is Kubernetes'
 * {@code FitError.Error()}: {@code 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had
 * untolerated taint {k: v}.}, reasons counted, sorted as strings, then the PostFilter's message.
 */
public record FitError(int numAllNodes, Map<String, Status> nodeStatuses, String preFilterMsg, String postFilterMsg) {
  public static final String NO_NODES_AVAILABLE = "no nodes available to schedule pods";

  public FitError withPostFilterMsg(String message) {
    return new FitError(numAllNodes, nodeStatuses, preFilterMsg, message);
  }

  public String message() {
    if (numAllNodes == 0) {
      return NO_NODES_AVAILABLE;
    }
    StringBuilder m = new StringBuilder("0/").append(numAllNodes).append(" nodes are available:");
    if (!preFilterMsg.isEmpty()) {
      m.append(' ').append(preFilterMsg).append('.');
    } else {
      String histogram = histogram(nodeStatuses);
      if (!histogram.isEmpty()) {
        m.append(' ').append(histogram).append('.');
      }
    }
    if (!postFilterMsg.isEmpty()) {
      m.append(' ').append(postFilterMsg);
      if (!postFilterMsg.endsWith(".")) {
        m.append('.');
      }
    }
    return m.toString();
  }

  /** {@code "1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}"}. */
  public static String histogram(Map<String, Status> statuses) {
    Map<String, Integer> counts = new HashMap<>();
    for (Status s : statuses.values()) {
      for (String reason : s.reasons()) {
        counts.merge(reason, 1, Integer::sum);
      }
    }
    List<String> parts = new ArrayList<>(counts.size());
    counts.forEach((reason, n) -> parts.add(n + " " + reason));
    Collections.sort(parts);
    return String.join(", ", parts);
  }
}
