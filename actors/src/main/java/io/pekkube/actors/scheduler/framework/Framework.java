package io.pekkube.actors.scheduler.framework;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One scheduling profile: its plugins at each extension point and the score weights, and the
 * scheduling cycle of Kubernetes' {@code schedulePod}. Filtering starts where the last cycle stopped and
 * stops once enough feasible nodes are found ({@link #numFeasibleNodesToFind}), so a cycle touches a
 * sample of a large cluster, not all of it; the best weighted score wins, ties broken at random.
 * Not thread-safe: one scheduler actor owns it.
 */
public final class Framework {
  public static final long MAX_NODE_SCORE = 100;
  static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
  static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

  private final String profileName;
  private final Plugin.QueueSort queueSort;
  private final List<Plugin.PreFilter> preFilters = new ArrayList<>();
  private final List<Plugin.PreFilterExtensions> preFilterExtensions = new ArrayList<>();
  /** Plugin name → the events it registered; a plugin absent here is woken by any event. */
  private final Map<String, Set<ClusterEvent>> events = new HashMap<>();
  private final List<Plugin.Filter> filters = new ArrayList<>();
  /** Per filter, whether its PreFilter said {@link Status#SKIP} in the current cycle. */
  private boolean[] skippedFilters;
  private final List<Plugin.PostFilter> postFilters = new ArrayList<>();
  private final List<Plugin.PreScore> preScores = new ArrayList<>();
  private final List<Plugin.Score> scores = new ArrayList<>();
  private final long[] weights;
  private final List<Plugin.Reserve> reserves = new ArrayList<>();
  private final List<Plugin.Permit> permits = new ArrayList<>();
  private final List<Plugin.PreBind> preBinds = new ArrayList<>();
  private final List<Plugin.Bind> binders = new ArrayList<>();
  private final int percentageOfNodesToScore;
  private final Random random;
  private int nextStartNodeIndex;

  /** The outcome of one cycle. */
  public sealed interface Result permits Selected, Unschedulable {}

  /** {@code evaluated}: nodes filtered; {@code feasible}: of those, the ones that fit. */
  public record Selected(String nodeName, int evaluated, int feasible) implements Result {}

  public record Unschedulable(FitError error) implements Result {}

  /**
   * @param plugins in the order they run at each point (a plugin may serve several points)
   * @param scoreWeights weight by plugin name (1 when absent)
   * @param percentageOfNodesToScore 0 for Kubernetes' adaptive default
   */
  public Framework(String profileName, List<Plugin> plugins, Map<String, Integer> scoreWeights,
      int percentageOfNodesToScore, Random random) {
    this.profileName = profileName;
    Plugin.QueueSort sort = null;
    List<Long> w = new ArrayList<>();
    for (Plugin p : plugins) {
      if (p instanceof Plugin.QueueSort q && sort == null) {
        sort = q;
      }
      if (p instanceof Plugin.PreFilter x) {
        preFilters.add(x);
      }
      if (p instanceof Plugin.PreFilterExtensions x) {
        preFilterExtensions.add(x);
      }
      if (p instanceof Plugin.EnqueueExtensions x) {
        events.put(p.name(), Set.copyOf(x.eventsToRegister()));
      }
      if (p instanceof Plugin.Filter x) {
        filters.add(x);
      }
      if (p instanceof Plugin.PostFilter x) {
        postFilters.add(x);
      }
      if (p instanceof Plugin.PreScore x) {
        preScores.add(x);
      }
      if (p instanceof Plugin.Score x) {
        int weight = scoreWeights.getOrDefault(p.name(), 1);
        if (weight > 0) {
          scores.add(x);
          w.add((long) weight);
        }
      }
      if (p instanceof Plugin.Reserve x) {
        reserves.add(x);
      }
      if (p instanceof Plugin.Permit x) {
        permits.add(x);
      }
      if (p instanceof Plugin.PreBind x) {
        preBinds.add(x);
      }
      if (p instanceof Plugin.Bind x) {
        binders.add(x);
      }
    }
    this.skippedFilters = new boolean[filters.size()];
    this.queueSort = sort;
    this.weights = w.stream().mapToLong(Long::longValue).toArray();
    this.percentageOfNodesToScore = percentageOfNodesToScore;
    this.random = random;
  }

  public String profileName() {
    return profileName;
  }

  public Plugin.QueueSort queueSort() {
    return queueSort;
  }

  public List<Plugin.Bind> binders() {
    return binders;
  }

  /** Every event some plugin of this profile registered. */
  public Set<ClusterEvent> events() {
    Set<ClusterEvent> all = EnumSet.noneOf(ClusterEvent.class);
    events.values().forEach(all::addAll);
    return all;
  }

  /** Kubernetes' {@code numFeasibleNodesToFind}: all of a small cluster, else 50% - nodes/125 (at least 5%, 100 nodes). */
  public static int numFeasibleNodesToFind(int percentageOfNodesToScore, int numAllNodes) {
    if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) {
      return numAllNodes;
    }
    int percentage = percentageOfNodesToScore;
    if (percentage <= 0) {
      percentage = Math.max(50 - numAllNodes / 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
    }
    if (percentage >= 100) {
      return numAllNodes;
    }
    return Math.max(numAllNodes * percentage / 100, MIN_FEASIBLE_NODES_TO_FIND);
  }

  /** {@link #schedule(PodInfo, Snapshot)} over just these nodes (tests, benchmarks). */
  public Result schedule(PodInfo pod, List<NodeInfo> nodes) {
    return schedule(pod, Snapshot.of(nodes));
  }

  /** PreFilter, Filter (sampled), PreScore, Score and NormalizeScore over the snapshot's nodes; picks a node. */
  public Result schedule(PodInfo pod, Snapshot snapshot) {
    List<NodeInfo> nodes = snapshot.nodes();
    int n = nodes.size();
    if (n == 0) {
      return new Unschedulable(new FitError(0, Map.of(), "", ""));
    }
    Arrays.fill(skippedFilters, false);
    for (Plugin.PreFilter p : preFilters) {
      Status s = p.preFilter(pod, snapshot);
      if (s.code() == Status.Code.SKIP) {
        for (int i = 0; i < filters.size(); i++) {
          skippedFilters[i] |= filters.get(i) == p;
        }
        continue;
      }
      if (!s.isSuccess()) {
        Map<String, Status> all = new HashMap<>(n * 2);
        nodes.forEach(node -> all.put(node.name(), s));
        return new Unschedulable(new FitError(n, all, s.message(), ""));
      }
    }
    if (!pod.nominatedNodeName().isEmpty()) {
      // A node freed by preemption for this pod is tried first, as Kubernetes' evaluateNominatedNode.
      for (NodeInfo node : nodes) {
        if (node.name().equals(pod.nominatedNodeName()) && runFilters(pod, node).isSuccess()) {
          return new Selected(node.name(), 1, 1);
        }
      }
    }
    int wanted = numFeasibleNodesToFind(percentageOfNodesToScore, n);
    List<NodeInfo> feasible = new ArrayList<>(Math.min(wanted, n));
    Map<String, Status> rejected = null;
    int evaluated = 0;
    int start = nextStartNodeIndex % n;
    for (int i = 0; i < n && feasible.size() < wanted; i++) {
      NodeInfo node = nodes.get((start + i) % n);
      evaluated++;
      Status s = runFilters(pod, node);
      if (s.isSuccess()) {
        feasible.add(node);
      } else {
        if (rejected == null) {
          rejected = new HashMap<>();
        }
        rejected.put(node.name(), s);
      }
    }
    nextStartNodeIndex = (start + evaluated) % n;
    if (feasible.isEmpty()) {
      return new Unschedulable(new FitError(n, rejected, "", ""));
    }
    if (feasible.size() == 1) {
      return new Selected(feasible.get(0).name(), evaluated, 1);
    }
    return new Selected(feasible.get(selectHost(pod, feasible, snapshot)).name(), evaluated, feasible.size());
  }

  /** Every Filter plugin in order, but those skipped this cycle; the first rejection is the node's status. */
  public Status runFilters(PodInfo pod, NodeInfo node) {
    for (int i = 0; i < filters.size(); i++) {
      if (skippedFilters[i]) {
        continue;
      }
      Status s = filters.get(i).filter(pod, node);
      if (!s.isSuccess()) {
        return s;
      }
    }
    return Status.SUCCESS;
  }

  /** The PostFilter plugins until one nominates a node; null when the profile has none. */
  public Plugin.PostFilterResult runPostFilters(PodInfo pod, Map<String, Status> filtered, List<NodeInfo> nodes) {
    Plugin.PostFilterResult last = null;
    for (Plugin.PostFilter p : postFilters) {
      last = p.postFilter(pod, filtered, nodes, this);
      if (last.status().isSuccess()) {
        return last;
      }
    }
    return last;
  }

  /** Reserve in order; on a failure the ones already reserved are undone. */
  public Status runReserve(PodInfo pod, String nodeName) {
    for (int i = 0; i < reserves.size(); i++) {
      Status s = reserves.get(i).reserve(pod, nodeName);
      if (!s.isSuccess()) {
        for (int j = i; j >= 0; j--) {
          reserves.get(j).unreserve(pod, nodeName);
        }
        return s;
      }
    }
    return Status.SUCCESS;
  }

  public void runUnreserve(PodInfo pod, String nodeName) {
    for (int j = reserves.size() - 1; j >= 0; j--) {
      reserves.get(j).unreserve(pod, nodeName);
    }
  }

  public Status runPermit(PodInfo pod, String nodeName) {
    for (Plugin.Permit p : permits) {
      Status s = p.permit(pod, nodeName);
      if (!s.isSuccess()) {
        return s;
      }
    }
    return Status.SUCCESS;
  }

  /** PreBind in order, each after the previous one succeeded; the first failure is the outcome. */
  public CompletionStage<Status> runPreBind(PodInfo pod, String nodeName) {
    CompletionStage<Status> chain = CompletableFuture.completedFuture(Status.SUCCESS);
    for (Plugin.PreBind p : preBinds) {
      chain = chain.thenCompose(s -> s.isSuccess() ? p.preBind(pod, nodeName) : CompletableFuture.completedFuture(s));
    }
    return chain;
  }

  /** Preemption took {@code removed} off {@code node} for a what-if: the PreFilter states follow. */
  public void runRemovePod(PodInfo pod, PodInfo removed, NodeInfo node) {
    for (Plugin.PreFilterExtensions p : preFilterExtensions) {
      p.removePod(pod, removed, node);
    }
  }

  /** Preemption put {@code added} (back) on {@code node}: the PreFilter states follow. */
  public void runAddPod(PodInfo pod, PodInfo added, NodeInfo node) {
    for (Plugin.PreFilterExtensions p : preFilterExtensions) {
      p.addPod(pod, added, node);
    }
  }

  /**
   * The events that may make a pod fit that these plugins rejected: the union of what they registered,
   * every event when one of them registered nothing or none is known.
   */
  public Set<ClusterEvent> eventsToRetry(Collection<String> rejectingPlugins) {
    if (rejectingPlugins.isEmpty()) {
      return EnumSet.allOf(ClusterEvent.class);
    }
    Set<ClusterEvent> union = EnumSet.noneOf(ClusterEvent.class);
    for (String plugin : rejectingPlugins) {
      Set<ClusterEvent> registered = events.get(plugin);
      if (registered == null) {
        return EnumSet.allOf(ClusterEvent.class);
      }
      union.addAll(registered);
    }
    return union;
  }

  private int selectHost(PodInfo pod, List<NodeInfo> feasible, Snapshot snapshot) {
    int count = feasible.size();
    for (Plugin.PreScore p : preScores) {
      p.preScore(pod, feasible, snapshot);
    }
    long[] total = new long[count];
    long[] pluginScores = new long[count];
    for (int s = 0; s < scores.size(); s++) {
      Plugin.Score plugin = scores.get(s);
      for (int i = 0; i < count; i++) {
        pluginScores[i] = plugin.score(pod, feasible.get(i));
      }
      plugin.normalize(pluginScores, count);
      for (int i = 0; i < count; i++) {
        total[i] += pluginScores[i] * weights[s];
      }
    }
    int best = 0;
    int ties = 1;
    for (int i = 1; i < count; i++) {
      if (total[i] > total[best]) {
        best = i;
        ties = 1;
      } else if (total[i] == total[best] && random.nextInt(++ties) == 0) {
        best = i; // reservoir sampling: each of the tied nodes is equally likely
      }
    }
    return best;
  }

  /** Kubernetes' {@code DefaultNormalizeScore}: scale to 0..100 by the highest score, reversed if asked. */
  public static void defaultNormalize(long[] scores, int count, boolean reverse) {
    long max = 0;
    for (int i = 0; i < count; i++) {
      max = Math.max(max, scores[i]);
    }
    for (int i = 0; i < count; i++) {
      long s = max == 0 ? 0 : MAX_NODE_SCORE * scores[i] / max;
      if (reverse) {
        s = max == 0 ? MAX_NODE_SCORE : MAX_NODE_SCORE - s;
      }
      scores[i] = s;
    }
  }
}
