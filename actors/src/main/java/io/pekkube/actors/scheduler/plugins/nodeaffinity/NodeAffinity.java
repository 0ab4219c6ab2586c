package io.pekkube.actors.scheduler.plugins.nodeaffinity;

import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.NodeSelector;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' {@code NodeAffinity}: {@code spec.nodeSelector} and the required node affinity terms
 * (any term may match) filter; the preferred terms score (the sum of the weights of the matching
 * terms, normalized to 0..100).
 */
public final class NodeAffinity implements Plugin.Filter, Plugin.Score, Plugin.EnqueueExtensions {
  public static final String NAME = "NodeAffinity";
  public static final String ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<ClusterEvent> eventsToRegister() {
    return EnumSet.of(ClusterEvent.NODE_ADDED, ClusterEvent.NODE_LABELS_CHANGED);
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    return fits(pod, node);
  }

  @Override
  public long score(PodInfo pod, NodeInfo node) {
    return preferredScore(pod, node);
  }

  @Override
  public void normalize(long[] scores, int count) {
    Framework.defaultNormalize(scores, count, false);
  }

  public static Status fits(PodInfo pod, NodeInfo node) {
    Map<String, String> labels = node.labels();
    for (Map.Entry<String, String> e : pod.nodeSelector().entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return Status.unresolvable(NAME, ERR_REASON_POD);
      }
    }
    if (pod.requiredNodeAffinity() != null) {
      for (NodeSelector term : pod.requiredNodeAffinity()) {
        if (term.matches(node.name(), labels)) {
          return Status.SUCCESS;
        }
      }
      return Status.unresolvable(NAME, ERR_REASON_POD);
    }
    return Status.SUCCESS;
  }

  public static long preferredScore(PodInfo pod, NodeInfo node) {
    long score = 0;
    for (PodInfo.WeightedTerm t : pod.preferredNodeAffinity()) {
      if (t.weight() != 0 && t.term().matches(node.name(), node.labels())) {
        score += t.weight();
      }
    }
    return score;
  }
}
