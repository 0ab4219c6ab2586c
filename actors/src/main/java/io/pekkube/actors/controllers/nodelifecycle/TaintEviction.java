package io.pekkube.actors.controllers.nodelifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' taint eviction controller as one pure decision: a pod on a node with a {@code NoExecute}
 * taint it does not tolerate goes at once; one that tolerates every such taint goes when the shortest
 * {@code tolerationSeconds} of the tolerations it uses has passed (counted from when the earliest of those
 * taints was added, so a restarted controller keeps the clock), and stays for ever when none of them sets
 * seconds.
 */
public final class TaintEviction {

  public sealed interface Verdict permits Keep, EvictNow, EvictAt {}

  public record Keep() implements Verdict {}

  public record EvictNow() implements Verdict {}

  /** Not yet: decide again at {@code at}. */
  public record EvictAt(Instant at) implements Verdict {}

  private TaintEviction() {}

  /** {@code nodeTaints} without a {@code timeAdded} count as added {@code now}. */
  public static Verdict decide(BoundPod pod, List<Taint> nodeTaints, Instant now) {
    if (pod.terminating()) {
      return new Keep();
    }
    List<Toleration> tolerations = pod.tolerations();
    List<Toleration> used = new ArrayList<>();
    Instant since = null;
    for (Taint taint : nodeTaints) {
      if (!Taint.NO_EXECUTE.equals(taint.effect())) {
        continue;
      }
      List<Toleration> matching = tolerations.stream().filter(t -> t.tolerates(taint)).toList();
      if (matching.isEmpty()) {
        return new EvictNow();
      }
      used.addAll(matching);
      Instant added = taint.timeAdded() != null ? taint.timeAdded() : now;
      since = since == null || added.isBefore(since) ? added : since;
    }
    if (since == null) {
      return new Keep();
    }
    Long seconds = used.stream().map(Toleration::seconds).filter(s -> s != null).min(Long::compare).orElse(null);
    if (seconds == null) {
      return new Keep();
    }
    Instant at = since.plusSeconds(Math.max(seconds, 0));
    return at.isAfter(now) ? new EvictAt(at) : new EvictNow();
  }
}
