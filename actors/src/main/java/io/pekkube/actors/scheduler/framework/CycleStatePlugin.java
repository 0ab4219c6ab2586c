package io.pekkube.actors.scheduler.framework;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.ToLongBiFunction;

/**
 * A plugin that computes once per pod what its Filter and Score look up, Kubernetes' {@code CycleState}
 * entries: PreFilter builds an {@code F}, kept true through preemption's what-ifs, PreScore an {@code S}.
 * Each is found only for the pod it was computed for; Filter without it is an error, as in Kubernetes.
 */
public abstract class CycleStatePlugin<F extends CycleStatePlugin.FilterState, S>
    implements Plugin.PreFilterExtensions, Plugin.Filter, Plugin.PreScore, Plugin.Score, Plugin.EnqueueExtensions {

  /** PreFilter's result for one pod. */
  public interface FilterState {
    PodInfo pod();

    /** {@code other} placed on (+1) or taken off (-1) {@code node}. */
    void update(PodInfo other, NodeInfo node, int delta);
  }

  /** PreScore's computation. */
  public interface ScoreStateFunction<S> {
    S compute(PodInfo pod, List<NodeInfo> feasible, Snapshot snapshot);
  }

  /** NormalizeScore with the cycle's score state. */
  public interface Normalizer<S> {
    void normalize(S state, long[] scores, int count);
  }

  private final BiFunction<PodInfo, Snapshot, F> computeFilterState;
  private final BiFunction<F, NodeInfo, Status> fits;
  private final ScoreStateFunction<S> computeScoreState;
  private final ToLongBiFunction<S, NodeInfo> score;
  private final Normalizer<S> normalizer;
  private F filterState;
  private PodInfo scoredPod;
  private S scoreState;

  /** The plugin's pure decisions, one per extension point. */
  protected CycleStatePlugin(BiFunction<PodInfo, Snapshot, F> computeFilterState, BiFunction<F, NodeInfo, Status> fits,
      ScoreStateFunction<S> computeScoreState, ToLongBiFunction<S, NodeInfo> score, Normalizer<S> normalizer) {
    this.computeFilterState = computeFilterState;
    this.fits = fits;
    this.computeScoreState = computeScoreState;
    this.score = score;
    this.normalizer = normalizer;
  }

  @Override
  public final Status preFilter(PodInfo pod, Snapshot snapshot) {
    filterState = computeFilterState.apply(pod, snapshot);
    return Status.SUCCESS;
  }

  @Override
  public final void addPod(PodInfo pod, PodInfo added, NodeInfo node) {
    if (filterState != null && filterState.pod() == pod) {
      filterState.update(added, node, 1);
    }
  }

  @Override
  public final void removePod(PodInfo pod, PodInfo removed, NodeInfo node) {
    if (filterState != null && filterState.pod() == pod) {
      filterState.update(removed, node, -1);
    }
  }

  @Override
  public final Status filter(PodInfo pod, NodeInfo node) {
    if (filterState == null || filterState.pod() != pod) {
      return Status.error(name(), "no PreFilter state of " + name() + " for pod " + pod.key());
    }
    return fits.apply(filterState, node);
  }

  @Override
  public final Status preScore(PodInfo pod, List<NodeInfo> feasible, Snapshot snapshot) {
    scoredPod = pod;
    scoreState = computeScoreState.compute(pod, feasible, snapshot);
    return Status.SUCCESS;
  }

  @Override
  public final long score(PodInfo pod, NodeInfo node) {
    return scoredPod != pod ? 0 : score.applyAsLong(scoreState, node);
  }

  @Override
  public final void normalize(long[] scores, int count) {
    if (scoreState != null) {
      normalizer.normalize(scoreState, scores, count);
    }
  }
}
