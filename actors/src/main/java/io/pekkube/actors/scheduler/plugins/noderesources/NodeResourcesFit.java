package io.pekkube.actors.scheduler.plugins.noderesources;

import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Resources;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' {@code NodeResourcesFit}: the pod's requests against what the node has left of its
 * allocatable (cpu, memory, ephemeral-storage, extended resources, and the pod count), and the
 * {@code LeastAllocated} / {@code MostAllocated} scores. A request larger than the node's whole
 * allocatable is unresolvable: no preemption could make room for it.
 */
public final class NodeResourcesFit implements Plugin.Filter, Plugin.Score, Plugin.EnqueueExtensions {
  public static final String NAME = "NodeResourcesFit";
  public static final String TOO_MANY_PODS = "Too many pods";
  public static final String INSUFFICIENT = "Insufficient ";

  public enum Strategy { LEAST_ALLOCATED, MOST_ALLOCATED }

  private final Strategy strategy;
  /** Resource name → weight in the score (Kubernetes' default: cpu 1, memory 1). */
  private final Map<String, Long> resourceWeights;

  public NodeResourcesFit(Strategy strategy, Map<String, Long> resourceWeights) {
    this.strategy = strategy;
    this.resourceWeights = resourceWeights;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<ClusterEvent> eventsToRegister() {
    return EnumSet.of(ClusterEvent.POD_DELETED, ClusterEvent.NODE_ADDED, ClusterEvent.NODE_ALLOCATABLE_CHANGED);
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    return fits(pod, node);
  }

  @Override
  public long score(PodInfo pod, NodeInfo node) {
    return score(strategy, resourceWeights, pod, node);
  }

  public static Status fits(PodInfo pod, NodeInfo node) {
    Resources want = pod.requests();
    Resources allocatable = node.allocatable();
    Resources used = node.requested();
    List<String> reasons = null;
    boolean unresolvable = false;
    if (node.pods().size() + 1 > allocatable.pods()) {
      reasons = add(reasons, TOO_MANY_PODS);
      unresolvable = allocatable.pods() < 1;
    }
    if (want.milliCpu() > 0 && want.milliCpu() > allocatable.milliCpu() - used.milliCpu()) {
      reasons = add(reasons, INSUFFICIENT + Resources.CPU);
      unresolvable |= want.milliCpu() > allocatable.milliCpu();
    }
    if (want.memory() > 0 && want.memory() > allocatable.memory() - used.memory()) {
      reasons = add(reasons, INSUFFICIENT + Resources.MEMORY);
      unresolvable |= want.memory() > allocatable.memory();
    }
    if (want.ephemeralStorage() > 0
        && want.ephemeralStorage() > allocatable.ephemeralStorage() - used.ephemeralStorage()) {
      reasons = add(reasons, INSUFFICIENT + Resources.EPHEMERAL_STORAGE);
      unresolvable |= want.ephemeralStorage() > allocatable.ephemeralStorage();
    }
    for (Map.Entry<String, Long> e : want.scalar().entrySet()) {
      long amount = e.getValue();
      if (amount > 0 && amount > allocatable.get(e.getKey()) - used.get(e.getKey())) {
        reasons = add(reasons, INSUFFICIENT + e.getKey());
        unresolvable |= amount > allocatable.get(e.getKey());
      }
    }
    if (reasons == null) {
      return Status.SUCCESS;
    }
    String[] r = reasons.toArray(String[]::new);
    return unresolvable ? Status.unresolvable(NAME, r) : Status.unschedulable(NAME, r);
  }

  private static List<String> add(List<String> reasons, String reason) {
    List<String> list = reasons == null ? new ArrayList<>(2) : reasons;
    list.add(reason);
    return list;
  }

  /** The weighted mean over the scored resources the node has (allocatable 0 is skipped), 0..100. */
  public static long score(Strategy strategy, Map<String, Long> weights, PodInfo pod, NodeInfo node) {
    long sum = 0;
    long weightSum = 0;
    for (Map.Entry<String, Long> e : weights.entrySet()) {
      String resource = e.getKey();
      long capacity = node.allocatable().get(resource);
      if (capacity == 0) {
        continue;
      }
      boolean nonZero = Resources.CPU.equals(resource) || Resources.MEMORY.equals(resource);
      long requested = nonZero
          ? node.nonZeroRequested().get(resource) + pod.nonZeroRequests().get(resource)
          : node.requested().get(resource) + pod.requests().get(resource);
      sum += resourceScore(strategy, requested, capacity) * e.getValue();
      weightSum += e.getValue();
    }
    return weightSum == 0 ? 0 : sum / weightSum;
  }

  static long resourceScore(Strategy strategy, long requested, long capacity) {
    if (strategy == Strategy.LEAST_ALLOCATED) {
      return requested > capacity ? 0 : (capacity - requested) * Framework.MAX_NODE_SCORE / capacity;
    }
    return Math.min(requested, capacity) * Framework.MAX_NODE_SCORE / capacity;
  }
}
