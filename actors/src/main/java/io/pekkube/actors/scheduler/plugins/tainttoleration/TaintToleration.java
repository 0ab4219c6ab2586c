package io.pekkube.actors.scheduler.plugins.tainttoleration;

import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import io.pekkube.actors.scheduler.framework.Taint;
import io.pekkube.actors.scheduler.framework.Toleration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Kubernetes' {@code TaintToleration}: a NoSchedule or NoExecute taint the pod does not tolerate rejects
 * the node; PreferNoSchedule taints it does not tolerate lower the node's score (fewer is better).
 */
public final class TaintToleration implements Plugin.Filter, Plugin.Score, Plugin.EnqueueExtensions {
  public static final String NAME = "TaintToleration";
  /** Completed with the taint: {@code node(s) had untolerated taint {key: value}}. */
  public static final String ERR_REASON_UNTOLERATED = "node(s) had untolerated taint";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<ClusterEvent> eventsToRegister() {
    return EnumSet.of(ClusterEvent.NODE_ADDED, ClusterEvent.NODE_TAINTS_CHANGED);
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    return fits(pod, node);
  }

  @Override
  public long score(PodInfo pod, NodeInfo node) {
    return intolerablePreferNoSchedule(pod, node);
  }

  @Override
  public void normalize(long[] scores, int count) {
    Framework.defaultNormalize(scores, count, true);
  }

  public static Status fits(PodInfo pod, NodeInfo node) {
    for (Taint taint : node.taints()) {
      boolean filtering = Taint.NO_SCHEDULE.equals(taint.effect()) || Taint.NO_EXECUTE.equals(taint.effect());
      if (filtering && !Toleration.anyTolerates(pod.tolerations(), taint)) {
        return Status.unresolvable(NAME, ERR_REASON_UNTOLERATED + " {" + taint.key() + ": " + taint.value() + "}");
      }
    }
    return Status.SUCCESS;
  }

  /** Counted against the pod's tolerations that have no effect or PreferNoSchedule, as Kubernetes does. */
  public static long intolerablePreferNoSchedule(PodInfo pod, NodeInfo node) {
    long count = 0;
    for (Taint taint : node.taints()) {
      if (!Taint.PREFER_NO_SCHEDULE.equals(taint.effect())) {
        continue;
      }
      boolean tolerated = false;
      for (Toleration t : pod.tolerations()) {
        if ((t.effect().isEmpty() || Taint.PREFER_NO_SCHEDULE.equals(t.effect())) && t.tolerates(taint)) {
          tolerated = true;
          break;
        }
      }
      if (!tolerated) {
        count++;
      }
    }
    return count;
  }
}
