package io.pekkube.actors.scheduler.plugins.podtopologyspread;

import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.CycleStatePlugin;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.LabelSelector;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.PodQuery;
import io.pekkube.actors.scheduler.framework.Snapshot;
import io.pekkube.actors.scheduler.framework.SpreadConstraint;
import io.pekkube.actors.scheduler.framework.Status;
import io.pekkube.actors.scheduler.framework.TopologyTally;
import io.pekkube.actors.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.pekkube.actors.scheduler.plugins.tainttoleration.TaintToleration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' {@code PodTopologySpread}. PreFilter counts, once per pod and per {@code DoNotSchedule}
 * constraint, the pods of the pod's namespace that the constraint selects in each topology domain (the
 * domains are the values of the topology key on the eligible nodes: those with every constraint's key,
 * matching the pod's node affinity unless {@code nodeAffinityPolicy: Ignore}, and tolerated when
 * {@code nodeTaintsPolicy: Honor}); Filter rejects a node whose domain would then exceed the global minimum
 * by more than {@code maxSkew} (the minimum is 0 while fewer than {@code minDomains} domains exist), and a
 * node without the key as unresolvable. {@code ScheduleAnyway} constraints score: fewer matching pods in
 * the node's domain (weighted by log(domains + 2), plus maxSkew - 1) is better, normalized so the
 * emptiest node gets 100.
 * <p>A pod without constraints that a ReplicaSet, StatefulSet or ReplicationController controls gets the
 * cluster defaults ({@code topology.kubernetes.io/zone} maxSkew 5 and {@code kubernetes.io/hostname}
 * maxSkew 3, ScheduleAnyway). Kubernetes selects with the selectors of the controller and of the Services
 * that select the pod; the scheduler does not watch those objects, so the selector is the pod's own labels
 * without the per-pod ones a controller adds ({@link #PER_POD_LABELS}), which its siblings share.
 */
public final class PodTopologySpread
    extends CycleStatePlugin<PodTopologySpread.FilterState, PodTopologySpread.ScoreState> {
  public static final String NAME = "PodTopologySpread";
  public static final String ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
  public static final String ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)";
  public static final String HOSTNAME = "kubernetes.io/hostname";
  public static final String ZONE = "topology.kubernetes.io/zone";
  /** Owners whose pods get the default constraints, as {@code apiVersion/kind}. */
  public static final Set<String> SPREAD_OWNERS =
      Set.of("v1/ReplicationController", "apps/v1/ReplicaSet", "apps/v1/StatefulSet");
  /** Labels a controller gives each pod differently, left out of the default selector. */
  public static final Set<String> PER_POD_LABELS =
      Set.of("statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index", "controller-revision-hash");
  private static final Status MISSING_LABEL = Status.unresolvable(NAME, ERR_REASON_NODE_LABEL_NOT_MATCH);
  private static final Status SKEWED = Status.unschedulable(NAME, ERR_REASON_CONSTRAINTS_NOT_MATCH);
  /** Score of a node missing a topology key of the pod's own constraints: 0 after normalizing. */
  static final long IGNORED = -1;

  public PodTopologySpread() {
    super(PodTopologySpread::preFilterState, PodTopologySpread::fits, PodTopologySpread::preScoreState,
        PodTopologySpread::scoreNode, (state, scores, count) -> {
          if (!state.constraints.isEmpty()) {
            normalizeScores(scores, count);
          }
        });
  }

  /** What PreFilter computed for one pod: per DoNotSchedule constraint, matching pods per domain. */
  public static final class FilterState implements CycleStatePlugin.FilterState {
    final PodInfo pod;
    final List<SpreadConstraint> constraints;
    final List<Map<String, Integer>> counts;
    final int[] minimum;
    /** Per constraint, 1 when it selects the pod itself (it adds to the domain it goes to). */
    final int[] self;

    FilterState(PodInfo pod, List<SpreadConstraint> constraints) {
      this.pod = pod;
      this.constraints = constraints;
      this.counts = new ArrayList<>(constraints.size());
      constraints.forEach(c -> counts.add(new HashMap<>()));
      this.minimum = new int[constraints.size()];
      this.self = new int[constraints.size()];
      for (int i = 0; i < constraints.size(); i++) {
        self[i] = constraints.get(i).selector().matches(pod.labels()) ? 1 : 0;
      }
    }

    @Override
    public PodInfo pod() {
      return pod;
    }

    /** Kubernetes' {@code updateWithPod}. */
    @Override
    public void update(PodInfo other, NodeInfo node, int delta) {
      if (!other.namespace().equals(pod.namespace()) || !hasAllKeys(node.labels(), constraints)) {
        return;
      }
      for (int i = 0; i < constraints.size(); i++) {
        SpreadConstraint c = constraints.get(i);
        if (c.selector().matches(other.labels()) && eligible(c, pod, node)) {
          counts.get(i).merge(node.labels().get(c.topologyKey()), delta, Integer::sum);
          minimum[i] = min(counts.get(i));
        }
      }
    }

    /** The global minimum Filter compares with: 0 while there are fewer domains than {@code minDomains}. */
    int minMatch(int i) {
      return counts.get(i).size() < constraints.get(i).minDomains() ? 0 : minimum[i];
    }
  }

  /** What PreScore computed for one pod: per ScheduleAnyway constraint, matching pods per domain or node. */
  public static final class ScoreState {
    final PodInfo pod;
    final List<SpreadConstraint> constraints;
    final Set<String> ignoredNodes = new HashSet<>();
    /** Per constraint: domain → matching pods (hostname constraints: none, see {@link #perNode}). */
    final List<Map<String, Integer>> counts;
    /** Per hostname constraint: the matching pods per node (null for the others and an empty selector). */
    final TopologyTally[] perNode;
    final double[] weights;

    ScoreState(PodInfo pod, List<SpreadConstraint> constraints) {
      this.pod = pod;
      this.constraints = constraints;
      this.counts = new ArrayList<>(constraints.size());
      constraints.forEach(c -> counts.add(new HashMap<>()));
      this.perNode = new TopologyTally[constraints.size()];
      this.weights = new double[constraints.size()];
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<ClusterEvent> eventsToRegister() {
    return EnumSet.of(ClusterEvent.POD_ADDED, ClusterEvent.POD_LABELS_CHANGED, ClusterEvent.POD_DELETED,
        ClusterEvent.NODE_ADDED, ClusterEvent.NODE_DELETED, ClusterEvent.NODE_LABELS_CHANGED,
        ClusterEvent.NODE_TAINTS_CHANGED);
  }

  /** The pod's own constraints of one kind, or (none of its own) the cluster defaults of that kind. */
  public static List<SpreadConstraint> constraints(PodInfo pod, boolean doNotSchedule) {
    if (!pod.spreadConstraints().isEmpty()) {
      List<SpreadConstraint> list = new ArrayList<>(pod.spreadConstraints().size());
      for (SpreadConstraint c : pod.spreadConstraints()) {
        if (c.doNotSchedule() == doNotSchedule) {
          list.add(c);
        }
      }
      return list;
    }
    if (doNotSchedule) {
      return List.of(); // the defaults are all ScheduleAnyway
    }
    LabelSelector selector = defaultSelector(pod);
    if (selector.isEmpty()) {
      return List.of();
    }
    return List.of(new SpreadConstraint(5, ZONE, false, selector, 1, true, false),
        new SpreadConstraint(3, HOSTNAME, false, selector, 1, true, false));
  }

  /** The selector of the pod's siblings: its labels less the per-pod ones; empty without a spreading owner. */
  public static LabelSelector defaultSelector(PodInfo pod) {
    if (!SPREAD_OWNERS.contains(pod.controller())) {
      return LabelSelector.EVERYTHING;
    }
    Map<String, String> labels = new HashMap<>(pod.labels());
    labels.keySet().removeAll(PER_POD_LABELS);
    return LabelSelector.ofLabels(labels);
  }

  /**
   * PreFilter: the domains and the matching pods per domain. When every node is eligible and the
   * constraints share one topology key, both come from the cache's tallies (O(domains)); otherwise the
   * domains come from every node and the counts from the nodes with matching pods.
   */
  public static FilterState preFilterState(PodInfo pod, Snapshot snapshot) {
    FilterState s = new FilterState(pod, constraints(pod, true));
    if (s.constraints.isEmpty()) {
      return s;
    }
    if (everyNodeEligible(pod, s.constraints) && oneTopologyKey(s.constraints)) {
      TopologyTally domains = snapshot.nodeTally();
      for (int i = 0; i < s.constraints.size(); i++) {
        SpreadConstraint c = s.constraints.get(i);
        TopologyTally matching = c.selector().isEmpty() ? null : snapshot.tally(query(pod, c));
        Map<String, Integer> counts = s.counts.get(i);
        for (String value : domains.values(c.topologyKey())) {
          counts.put(value, matching == null ? 0 : matching.inDomain(c.topologyKey(), value));
        }
        s.minimum[i] = min(counts);
      }
      return s;
    }
    for (NodeInfo node : snapshot.nodes()) {
      if (!hasAllKeys(node.labels(), s.constraints)) {
        continue;
      }
      for (int i = 0; i < s.constraints.size(); i++) {
        SpreadConstraint c = s.constraints.get(i);
        if (eligible(c, pod, node)) {
          s.counts.get(i).putIfAbsent(node.labels().get(c.topologyKey()), 0);
        }
      }
    }
    for (int i = 0; i < s.constraints.size(); i++) {
      SpreadConstraint c = s.constraints.get(i);
      Map<String, Integer> counts = s.counts.get(i);
      if (!c.selector().isEmpty()) {
        snapshot.tally(query(pod, c)).forEachNode((node, n) -> {
          if (node.exists() && hasAllKeys(node.labels(), s.constraints) && eligible(c, pod, node)) {
            counts.merge(node.labels().get(c.topologyKey()), n, Integer::sum);
          }
        });
      }
      s.minimum[i] = min(counts);
    }
    return s;
  }

  /** Filter: per constraint, one lookup of the node's domain. */
  public static Status fits(FilterState s, NodeInfo node) {
    for (int i = 0; i < s.constraints.size(); i++) {
      SpreadConstraint c = s.constraints.get(i);
      String value = node.labels().get(c.topologyKey());
      if (value == null) {
        return MISSING_LABEL;
      }
      Integer matching = s.counts.get(i).get(value);
      long skew = (long) (matching == null ? 0 : matching) + s.self[i] - s.minMatch(i);
      if (skew > c.maxSkew()) {
        return SKEWED;
      }
    }
    return Status.SUCCESS;
  }

  /**
   * PreScore: the domains from the feasible nodes, the matching pods per domain from the cache's tallies
   * (per node for hostname constraints, looked up by Score). With the pod's own constraints a node must
   * have every topology key to be scored; the defaults score a node without a zone on its hostname alone,
   * and count the pods on every node without a zone in the domain "".
   */
  public static ScoreState preScoreState(PodInfo pod, List<NodeInfo> feasible, Snapshot snapshot) {
    ScoreState s = new ScoreState(pod, constraints(pod, false));
    if (s.constraints.isEmpty() || feasible.isEmpty()) {
      return s;
    }
    boolean requireAllTopologies = !pod.spreadConstraints().isEmpty();
    int[] domains = new int[s.constraints.size()];
    for (NodeInfo node : feasible) {
      if (requireAllTopologies && !hasAllKeys(node.labels(), s.constraints)) {
        s.ignoredNodes.add(node.name());
        continue;
      }
      for (int i = 0; i < s.constraints.size(); i++) {
        SpreadConstraint c = s.constraints.get(i);
        if (!HOSTNAME.equals(c.topologyKey())
            && s.counts.get(i).putIfAbsent(node.labels().getOrDefault(c.topologyKey(), ""), 0) == null) {
          domains[i]++;
        }
      }
    }
    boolean everyNodeEligible = everyNodeEligible(pod, s.constraints)
        && (!requireAllTopologies || oneTopologyKey(s.constraints));
    for (int i = 0; i < s.constraints.size(); i++) {
      SpreadConstraint c = s.constraints.get(i);
      Map<String, Integer> counts = s.counts.get(i);
      TopologyTally matching = c.selector().isEmpty() ? null : snapshot.tally(query(pod, c));
      if (HOSTNAME.equals(c.topologyKey())) {
        s.weights[i] = Math.log(feasible.size() - s.ignoredNodes.size() + 2);
        s.perNode[i] = matching;
        continue;
      }
      s.weights[i] = Math.log(domains[i] + 2);
      if (matching == null) {
        continue;
      }
      if (everyNodeEligible && !counts.containsKey("")) {
        counts.replaceAll((value, zero) -> matching.inDomain(c.topologyKey(), value));
        continue;
      }
      matching.forEachNode((node, n) -> {
        if (node.exists() && (!requireAllTopologies || hasAllKeys(node.labels(), s.constraints))
            && eligible(c, pod, node)) {
          counts.computeIfPresent(node.labels().getOrDefault(c.topologyKey(), ""), (k, sum) -> sum + n);
        }
      });
    }
    return s;
  }

  public static long scoreNode(ScoreState s, NodeInfo node) {
    if (s.ignoredNodes.contains(node.name())) {
      return IGNORED;
    }
    double score = 0;
    for (int i = 0; i < s.constraints.size(); i++) {
      SpreadConstraint c = s.constraints.get(i);
      String value = node.labels().get(c.topologyKey());
      if (value == null) {
        continue;
      }
      int matching;
      if (HOSTNAME.equals(c.topologyKey())) {
        matching = s.perNode[i] == null ? 0 : s.perNode[i].onNode(node);
      } else {
        Integer n = s.counts.get(i).get(value);
        matching = n == null ? 0 : n;
      }
      score += matching * s.weights[i] + (c.maxSkew() - 1);
    }
    return Math.round(score);
  }

  /** Kubernetes' PodTopologySpread NormalizeScore: 100 × (max + min - score) / max; ignored nodes 0. */
  public static void normalizeScores(long[] scores, int count) {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < count; i++) {
      if (scores[i] != IGNORED) {
        min = Math.min(min, scores[i]);
        max = Math.max(max, scores[i]);
      }
    }
    for (int i = 0; i < count; i++) {
      if (scores[i] == IGNORED) {
        scores[i] = 0;
      } else if (max == 0) {
        scores[i] = Framework.MAX_NODE_SCORE;
      } else {
        scores[i] = Framework.MAX_NODE_SCORE * (max + min - scores[i]) / max;
      }
    }
  }

  /** The pods a constraint counts: in the pod's namespace, not terminating, selected. */
  private static PodQuery query(PodInfo pod, SpreadConstraint c) {
    return PodQuery.spreading(c.selector(), pod.namespace());
  }

  /** No node is left out by the inclusion policies: nothing narrows the pod's nodes, taints are ignored. */
  static boolean everyNodeEligible(PodInfo pod, List<SpreadConstraint> constraints) {
    boolean narrowed = !pod.nodeSelector().isEmpty() || pod.requiredNodeAffinity() != null;
    for (SpreadConstraint c : constraints) {
      if (c.honorNodeTaints() || (c.honorNodeAffinity() && narrowed)) {
        return false;
      }
    }
    return true;
  }

  /** Having every constraint's key is having the one key. */
  static boolean oneTopologyKey(List<SpreadConstraint> constraints) {
    for (SpreadConstraint c : constraints) {
      if (!c.topologyKey().equals(constraints.get(0).topologyKey())) {
        return false;
      }
    }
    return true;
  }

  /** Kubernetes' {@code matchNodeInclusionPolicies}. */
  static boolean eligible(SpreadConstraint c, PodInfo pod, NodeInfo node) {
    return (!c.honorNodeAffinity() || NodeAffinity.fits(pod, node).isSuccess())
        && (!c.honorNodeTaints() || TaintToleration.fits(pod, node).isSuccess());
  }

  static boolean hasAllKeys(Map<String, String> labels, List<SpreadConstraint> constraints) {
    for (SpreadConstraint c : constraints) {
      if (!labels.containsKey(c.topologyKey())) {
        return false;
      }
    }
    return true;
  }

  private static int min(Map<String, Integer> counts) {
    int min = Integer.MAX_VALUE;
    for (int n : counts.values()) {
      min = Math.min(min, n);
    }
    return min;
  }
}
