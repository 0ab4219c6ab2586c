package io.pekkube.actors.scheduler.plugins.defaultpreemption;

import io.pekkube.actors.scheduler.framework.FitError;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' {@code DefaultPreemption} (PostFilter): when no node fits, find a node where evicting
 * pods of lower priority would make the pod fit, keeping as many of them as still allows it ("reprieve",
 * highest priority first), and pick the node whose victims matter least (lowest highest priority, then
 * lowest sum of priorities, then fewest). Nodes rejected as unresolvable are not tried. The scheduler
 * deletes the victims and nominates the node; the deletions re-queue the pod.
 */
public final class DefaultPreemption implements Plugin.PostFilter {
  public static final String NAME = "DefaultPreemption";
  public static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
  public static final String NO_VICTIMS = "No preemption victims found for incoming pod";
  public static final String NEVER = "not eligible due to preemptionPolicy=Never.";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PostFilterResult postFilter(PodInfo pod, Map<String, Status> filtered, List<NodeInfo> nodes,
      Framework framework) {
    return preempt(pod, filtered, nodes, framework);
  }

  /** A node and the pods to evict there. */
  record Candidate(String node, List<PodInfo> victims) {}

  public static PostFilterResult preempt(PodInfo pod, Map<String, Status> filtered, List<NodeInfo> nodes,
      Framework framework) {
    if ("Never".equals(pod.preemptionPolicy())) {
      return PostFilterResult.rejected(Status.unschedulable(NAME, "preemption: " + NEVER));
    }
    Map<String, Status> outcome = new HashMap<>();
    List<Candidate> candidates = new ArrayList<>();
    for (NodeInfo node : nodes) {
      Status s = filtered.get(node.name());
      if (s == null || s.isSuccess()) {
        continue; // not evaluated this cycle (the sample stopped early) or fits: not a preemption candidate
      }
      if (s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
        outcome.put(node.name(), Status.unresolvable(NAME, NOT_HELPFUL));
        continue;
      }
      Candidate c = victimsOn(pod, node, framework);
      if (c == null) {
        outcome.put(node.name(), Status.unschedulable(NAME, NO_VICTIMS));
      } else {
        candidates.add(c);
      }
    }
    if (candidates.isEmpty()) {
      String message = new FitError(outcome.size(), outcome, "", "").message();
      return PostFilterResult.rejected(Status.unschedulable(NAME, "preemption: " + message));
    }
    Candidate best = candidates.stream().min(Comparator
        .comparingInt((Candidate c) -> c.victims().stream().mapToInt(PodInfo::priority).max().orElse(Integer.MIN_VALUE))
        .thenComparingLong(c -> c.victims().stream().mapToLong(PodInfo::priority).sum())
        .thenComparingInt(c -> c.victims().size())).orElseThrow();
    return new PostFilterResult(best.node(), best.victims(), Status.SUCCESS);
  }

  /**
   * Kubernetes' {@code SelectVictimsOnNode}: null when even evicting every lower-priority pod does not help.
   * The PreFilter states follow each pod taken off or put back, and end as they began.
   */
  static Candidate victimsOn(PodInfo pod, NodeInfo node, Framework framework) {
    NodeInfo what = node.copy();
    List<PodInfo> lower = new ArrayList<>();
    for (PodInfo p : node.pods()) {
      if (p.priority() < pod.priority()) {
        lower.add(p);
        what.removePod(p.key());
        framework.runRemovePod(pod, p, what);
      }
    }
    if (lower.isEmpty() || !framework.runFilters(pod, what).isSuccess()) {
      lower.forEach(p -> framework.runAddPod(pod, p, what));
      return null;
    }
    lower.sort(Comparator.comparingInt(PodInfo::priority).reversed());
    List<PodInfo> victims = new ArrayList<>();
    for (PodInfo p : lower) {
      what.addPod(p);
      framework.runAddPod(pod, p, what);
      if (!framework.runFilters(pod, what).isSuccess()) {
        what.removePod(p.key());
        framework.runRemovePod(pod, p, what);
        victims.add(p);
      }
    }
    victims.forEach(p -> framework.runAddPod(pod, p, what));
    return new Candidate(node.name(), victims);
  }
}
