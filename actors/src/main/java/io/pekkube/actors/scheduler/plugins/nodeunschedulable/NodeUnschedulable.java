package io.pekkube.actors.scheduler.plugins.nodeunschedulable;

import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import io.pekkube.actors.scheduler.framework.Taint;
import io.pekkube.actors.scheduler.framework.Toleration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Kubernetes' {@code NodeUnschedulable}: a cordoned node ({@code spec.unschedulable}) takes only pods
 * that tolerate the {@code node.kubernetes.io/unschedulable:NoSchedule} taint.
 */
public final class NodeUnschedulable implements Plugin.Filter, Plugin.EnqueueExtensions {
  public static final String NAME = "NodeUnschedulable";
  public static final String ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";
  public static final String ERR_REASON_UNKNOWN_CONDITION = "node(s) had unknown conditions";
  public static final Taint UNSCHEDULABLE_TAINT = new Taint("node.kubernetes.io/unschedulable", "", Taint.NO_SCHEDULE);

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

  public static Status fits(PodInfo pod, NodeInfo node) {
    if (!node.exists()) {
      return Status.unresolvable(NAME, ERR_REASON_UNKNOWN_CONDITION);
    }
    if (node.unschedulable() && !Toleration.anyTolerates(pod.tolerations(), UNSCHEDULABLE_TAINT)) {
      return Status.unresolvable(NAME, ERR_REASON_UNSCHEDULABLE);
    }
    return Status.SUCCESS;
  }
}
