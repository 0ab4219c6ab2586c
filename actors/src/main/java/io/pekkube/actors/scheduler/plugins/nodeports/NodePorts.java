package io.pekkube.actors.scheduler.plugins.nodeports;

import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.HostPort;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.EnumSet;
import java.util.Set;

/** Kubernetes' {@code NodePorts}: the host ports the pod asks for must be free on the node. */
public final class NodePorts implements Plugin.Filter, Plugin.EnqueueExtensions {
  public static final String NAME = "NodePorts";
  public static final String ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<ClusterEvent> eventsToRegister() {
    return EnumSet.of(ClusterEvent.POD_DELETED, ClusterEvent.NODE_ADDED);
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    return fits(pod, node);
  }

  public static Status fits(PodInfo pod, NodeInfo node) {
    for (HostPort wanted : pod.hostPorts()) {
      for (HostPort used : node.usedPorts()) {
        if (wanted.conflictsWith(used)) {
          return Status.unschedulable(NAME, ERR_REASON);
        }
      }
    }
    return Status.SUCCESS;
  }
}
