package io.pekkube.actors.scheduler.plugins.nodename;

import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.EnumSet;
import java.util.Set;

/**
 * Kubernetes' {@code NodeName}: a pod that names its node ({@code spec.nodeName} set at creation is
 * bound already; this covers the nominated or requested name carried in the spec) fits only there.
 */
public final class NodeName implements Plugin.Filter, Plugin.EnqueueExtensions {
  public static final String NAME = "NodeName";
  public static final String ERR_REASON = "node(s) didn't match the requested node name";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<ClusterEvent> eventsToRegister() {
    return EnumSet.of(ClusterEvent.NODE_ADDED);
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    return fits(pod, node);
  }

  public static Status fits(PodInfo pod, NodeInfo node) {
    return pod.nodeName().isEmpty() || pod.nodeName().equals(node.name())
        ? Status.SUCCESS : Status.unresolvable(NAME, ERR_REASON);
  }
}
