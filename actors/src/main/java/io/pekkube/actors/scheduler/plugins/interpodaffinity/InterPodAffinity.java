package io.pekkube.actors.scheduler.plugins.interpodaffinity;

import io.pekkube.actors.scheduler.framework.AffinityTerm;
import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.CycleStatePlugin;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.PlacedTerms;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.PodQuery;
import io.pekkube.actors.scheduler.framework.Snapshot;
import io.pekkube.actors.scheduler.framework.Status;
import io.pekkube.actors.scheduler.framework.TopologyTally;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' {@code InterPodAffinity}. PreFilter counts, once per pod, the placed pods matching each of
 * its required affinity and anti-affinity terms per topology pair, and the placed pods whose required
 * anti-affinity terms match it; Filter then only looks those counts up by the node's labels:
 * <ul>
 *   <li>every required affinity term needs a matching pod in the node's domain (a node without the topology
 *       label is out); as a special case the first pod of a group whose terms match itself may go anywhere
 *       while no pod matches at all. Unresolvable: preemption cannot create a matching pod;</li>
 *   <li>no pod matching a required anti-affinity term may be in the node's domain;</li>
 *   <li>no placed pod may have a required anti-affinity term that the pod matches, in the same domain.</li>
 * </ul>
 * PreScore sums, per topology pair, the weights of the pod's preferred terms over the pods matching them
 * (anti-affinity negative), and of the placed pods' preferred terms and required affinity terms
 * ({@code hardPodAffinityWeight}) that the pod matches; Score reads the node's pairs and NormalizeScore
 * scales min..max to 0..100. Namespace selectors use the namespaces the scheduler watches.
 */
public final class InterPodAffinity
    extends CycleStatePlugin<InterPodAffinity.FilterState, InterPodAffinity.ScoreState> {
  public static final String NAME = "InterPodAffinity";
  public static final String ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
  public static final String ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
  public static final String ERR_REASON_EXISTING_ANTI_AFFINITY =
      "node(s) didn't satisfy existing pods anti-affinity rules";
  public static final long DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;
  private static final Status AFFINITY_REJECTED = Status.unresolvable(NAME, ERR_REASON_AFFINITY);
  private static final Status ANTI_AFFINITY_REJECTED = Status.unschedulable(NAME, ERR_REASON_ANTI_AFFINITY);
  private static final Status EXISTING_ANTI_AFFINITY_REJECTED =
      Status.unschedulable(NAME, ERR_REASON_EXISTING_ANTI_AFFINITY);

  public InterPodAffinity(long hardPodAffinityWeight) {
    super(InterPodAffinity::preFilterState, InterPodAffinity::fits,
        (pod, feasible, snapshot) -> preScoreState(pod, snapshot, hardPodAffinityWeight), InterPodAffinity::scoreOf,
        (state, scores, count) -> {
          if (!state.tallies.isEmpty()) {
            normalizeMinMax(scores, count);
          }
        });
  }

  /** What PreFilter computed for one pod. */
  public static final class FilterState implements CycleStatePlugin.FilterState {
    final PodInfo pod;
    final Map<String, String> namespaceLabels;
    final List<AffinityTerm> affinity;
    final List<AffinityTerm> antiAffinity;
    final boolean matchesOwnAffinity;
    final TopologyCounts affinityCounts = new TopologyCounts();
    /** Per required anti-affinity term, the pods it selects (the cache's, kept across cycles)... */
    final TopologyTally[] antiAffinityTallies;
    /** ...and what preemption's what-ifs changed of them. */
    final TopologyCounts antiAffinityCounts = new TopologyCounts();
    /** The placed pods' required anti-affinity terms that match the pod, with the pods that have them (the cache's)... */
    final List<AffinityTerm> existingAntiAffinity = new ArrayList<>();
    final List<TopologyTally> existingAntiAffinityTallies = new ArrayList<>();
    /** ...and what preemption's what-ifs changed of them. */
    final TopologyCounts existingAntiAffinityCounts = new TopologyCounts();

    FilterState(PodInfo pod, Snapshot snapshot) {
      this.pod = pod;
      this.namespaceLabels = snapshot.namespaceLabels(pod.namespace());
      this.affinity = resolved(pod.podAffinity().required(), snapshot);
      this.antiAffinity = resolved(pod.podAffinity().requiredAnti(), snapshot);
      this.matchesOwnAffinity = matchesAll(affinity, pod);
      this.antiAffinityTallies = new TopologyTally[antiAffinity.size()];
    }

    /** A placed pod in one of the node's domains has a required anti-affinity term that matches the pod. */
    boolean existingAntiAffinityAt(Map<String, String> labels) {
      for (AffinityTerm t : existingAntiAffinity) {
        String value = labels.get(t.topologyKey());
        if (value == null) {
          continue;
        }
        long sum = existingAntiAffinityCounts.get(t.topologyKey(), value);
        for (int i = 0; i < existingAntiAffinity.size(); i++) {
          if (existingAntiAffinity.get(i).topologyKey().equals(t.topologyKey())) {
            sum += existingAntiAffinityTallies.get(i).inDomain(t.topologyKey(), value);
          }
        }
        if (sum > 0) {
          return true;
        }
      }
      // What-ifs only add to the tallies' counts where a positive count is positive in total as well.
      return !existingAntiAffinityCounts.isEmpty() && existingAntiAffinityCounts.anyPositive(labels);
    }

    /** The pods the anti-affinity terms with {@code key} select in the node's domain {@code value}. */
    long antiAffinityMatches(String key, String value) {
      long sum = antiAffinityCounts.get(key, value);
      for (int i = 0; i < antiAffinity.size(); i++) {
        if (antiAffinity.get(i).topologyKey().equals(key)) {
          sum += antiAffinityTallies[i].inDomain(key, value);
        }
      }
      return sum;
    }

    @Override
    public PodInfo pod() {
      return pod;
    }

    /** Kubernetes' {@code updateWithPod}. */
    @Override
    public void update(PodInfo other, NodeInfo node, int delta) {
      Map<String, String> labels = node.labels();
      for (AffinityTerm t : other.podAffinity().requiredAnti()) {
        if (t.matches(pod, namespaceLabels)) {
          existingAntiAffinityCounts.add(t.topologyKey(), labels, delta);
        }
      }
      if (matchesAll(affinity, other)) {
        for (AffinityTerm t : affinity) {
          affinityCounts.add(t.topologyKey(), labels, delta);
        }
      }
      for (AffinityTerm t : antiAffinity) {
        if (t.matches(other, Map.of())) {
          antiAffinityCounts.add(t.topologyKey(), labels, delta);
        }
      }
    }
  }

  /**
   * What PreScore computed for one pod: the terms that score (the pod's preferred ones, the placed pods'
   * that match it), each with its weight and the pods it counts per topology pair (the cache's).
   */
  public static final class ScoreState {
    final PodInfo pod;
    final List<String> topologyKeys = new ArrayList<>();
    final List<Long> weights = new ArrayList<>();
    final List<TopologyTally> tallies = new ArrayList<>();

    ScoreState(PodInfo pod) {
      this.pod = pod;
    }

    void add(AffinityTerm term, long weight, TopologyTally pods) {
      if (weight != 0 && !pods.isEmpty()) {
        topologyKeys.add(term.topologyKey());
        weights.add(weight);
        tallies.add(pods);
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<ClusterEvent> eventsToRegister() {
    // A node taint change stands for a node that became ready, as Kubernetes registers it.
    return EnumSet.of(ClusterEvent.POD_ADDED, ClusterEvent.POD_LABELS_CHANGED, ClusterEvent.POD_DELETED,
        ClusterEvent.NODE_ADDED, ClusterEvent.NODE_LABELS_CHANGED, ClusterEvent.NODE_TAINTS_CHANGED);
  }

  /** PreFilter: the counts Filter looks up, from the nodes with pods with affinity and the pods matching the pod's terms. */
  public static FilterState preFilterState(PodInfo pod, Snapshot snapshot) {
    FilterState s = new FilterState(pod, snapshot);
    snapshot.placedTerms().requiredAnti().forEach((t, withTerm) -> {
      if (t.matches(pod, s.namespaceLabels)) {
        s.existingAntiAffinity.add(t);
        s.existingAntiAffinityTallies.add(withTerm);
      }
    });
    if (!s.affinity.isEmpty()) {
      // A pod counts only if it matches every term; any term's selector finds the candidates.
      snapshot.forEachMatchingPod(narrowest(s.affinity).selector(), (existing, node) -> {
        if (matchesAll(s.affinity, existing)) {
          for (AffinityTerm t : s.affinity) {
            s.affinityCounts.add(t.topologyKey(), node.labels(), 1);
          }
        }
      });
    }
    for (int i = 0; i < s.antiAffinity.size(); i++) {
      s.antiAffinityTallies[i] = snapshot.tally(PodQuery.of(s.antiAffinity.get(i)));
    }
    return s;
  }

  /** Filter: O(terms + topology keys counted) map lookups. */
  public static Status fits(FilterState s, NodeInfo node) {
    Map<String, String> labels = node.labels();
    if (!s.affinity.isEmpty()) {
      boolean podsExist = true;
      for (AffinityTerm t : s.affinity) {
        String value = labels.get(t.topologyKey());
        if (value == null) {
          return AFFINITY_REJECTED;
        }
        if (s.affinityCounts.get(t.topologyKey(), value) <= 0) {
          podsExist = false;
        }
      }
      // The first of a group of pods with affinity to each other: nothing matches anywhere yet.
      if (!podsExist && !(s.affinityCounts.isEmpty() && s.matchesOwnAffinity)) {
        return AFFINITY_REJECTED;
      }
    }
    for (AffinityTerm t : s.antiAffinity) {
      String value = labels.get(t.topologyKey());
      if (value != null && s.antiAffinityMatches(t.topologyKey(), value) > 0) {
        return ANTI_AFFINITY_REJECTED;
      }
    }
    if (s.existingAntiAffinityAt(labels)) {
      return EXISTING_ANTI_AFFINITY_REJECTED;
    }
    return Status.SUCCESS;
  }

  /**
   * PreScore: the pod's preferred terms over the pods matching them, and the distinct terms of the placed
   * pods that the pod matches (their required affinity terms weigh {@code hardPodAffinityWeight}).
   */
  public static ScoreState preScoreState(PodInfo pod, Snapshot snapshot, long hardPodAffinityWeight) {
    ScoreState s = new ScoreState(pod);
    for (AffinityTerm.Weighted w : pod.podAffinity().preferred()) {
      AffinityTerm t = w.term().withNamespacesOf(snapshot.namespaces());
      s.add(t, w.weight(), snapshot.tally(PodQuery.of(t)));
    }
    for (AffinityTerm.Weighted w : pod.podAffinity().preferredAnti()) {
      AffinityTerm t = w.term().withNamespacesOf(snapshot.namespaces());
      s.add(t, -w.weight(), snapshot.tally(PodQuery.of(t)));
    }
    Map<String, String> namespaceLabels = snapshot.namespaceLabels(pod.namespace());
    PlacedTerms placed = snapshot.placedTerms();
    if (hardPodAffinityWeight > 0) {
      placed.required().forEach((t, pods) -> {
        if (t.matches(pod, namespaceLabels)) {
          s.add(t, hardPodAffinityWeight, pods);
        }
      });
    }
    placed.preferred().forEach((w, pods) -> {
      if (w.term().matches(pod, namespaceLabels)) {
        s.add(w.term(), w.weight(), pods);
      }
    });
    placed.preferredAnti().forEach((w, pods) -> {
      if (w.term().matches(pod, namespaceLabels)) {
        s.add(w.term(), -w.weight(), pods);
      }
    });
    return s;
  }

  /** Score: per scoring term, its weight times the pods it counts in the node's domain. */
  public static long scoreOf(ScoreState s, NodeInfo node) {
    long score = 0;
    for (int i = 0; i < s.tallies.size(); i++) {
      String value = node.labels().get(s.topologyKeys.get(i));
      if (value != null) {
        score += s.weights.get(i) * s.tallies.get(i).inDomain(s.topologyKeys.get(i), value);
      }
    }
    return score;
  }

  /** Kubernetes' InterPodAffinity NormalizeScore: (score - min) / (max - min) × 100, 0 when all are equal. */
  public static void normalizeMinMax(long[] scores, int count) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      min = Math.min(min, scores[i]);
      max = Math.max(max, scores[i]);
    }
    long diff = max - min;
    for (int i = 0; i < count; i++) {
      scores[i] = diff > 0 ? (long) (Framework.MAX_NODE_SCORE * ((double) (scores[i] - min) / diff)) : 0;
    }
  }

  private static List<AffinityTerm> resolved(List<AffinityTerm> terms, Snapshot snapshot) {
    if (terms.isEmpty()) {
      return terms;
    }
    List<AffinityTerm> list = new ArrayList<>(terms.size());
    terms.forEach(t -> list.add(t.withNamespacesOf(snapshot.namespaces())));
    return list;
  }

  /** The incoming pod's terms have their namespace selectors resolved: no namespace labels are needed. */
  private static boolean matchesAll(List<AffinityTerm> terms, PodInfo pod) {
    if (terms.isEmpty()) {
      return false;
    }
    for (AffinityTerm t : terms) {
      if (!t.matches(pod, Map.of())) {
        return false;
      }
    }
    return true;
  }

  /** A term whose selector pins a label, so the candidates come from the label index; else the first. */
  private static AffinityTerm narrowest(List<AffinityTerm> terms) {
    for (AffinityTerm t : terms) {
      if (t.selector().requiredLabel() != null) {
        return t;
      }
    }
    return terms.get(0);
  }
}
