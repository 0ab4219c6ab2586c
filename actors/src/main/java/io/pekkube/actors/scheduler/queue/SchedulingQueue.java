package io.pekkube.actors.scheduler.queue;

import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Kubernetes' {@code PriorityQueue}: pods waiting for a cycle are in exactly one of
 * <ul>
 *   <li>activeQ, ordered by the profile's QueueSort (priority, then when queued);</li>
 *   <li>backoffQ, after a failed cycle, until their backoff (1s doubling per attempt, at most 10s) ends;</li>
 *   <li>unschedulable, after a cycle found no node, until a cluster event that may help
 *       ({@link #onClusterEvent}: one the plugins that rejected it registered) or, failing that, a
 *       periodic flush after 5 minutes;</li>
 * </ul>
 * or in flight (popped, being scheduled or bound). A cluster event that arrives while a pod is in
 * flight sends that pod to backoffQ rather than unschedulable, so the event is not lost. Pure: the
 * caller passes the time in, so tests drive it with a fake clock.
 */
public final class SchedulingQueue {

  private enum Where { ACTIVE, BACKOFF, UNSCHEDULABLE, IN_FLIGHT }

  private static final class Entry {
    PodInfo pod;
    final long queuedAt;
    int attempts;
    long backoffUntil;
    long unschedulableSince;
    /** The events that move it out of unschedulable; null for any. */
    Set<ClusterEvent> wakeOn;
    Where where;

    Entry(PodInfo pod, long queuedAt) {
      this.pod = pod;
      this.queuedAt = queuedAt;
    }
  }

  /** A pod handed to a cycle; {@code cycle} tells {@link #requeueUnschedulable} what events it missed. */
  public record Popped(PodInfo pod, int attempts, long cycle) {}

  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final PriorityQueue<Entry> active;
  private final PriorityQueue<Entry> backoff = new PriorityQueue<>((a, b) -> Long.compare(a.backoffUntil, b.backoffUntil));
  private final Map<String, Entry> unschedulable = new HashMap<>();
  private final Map<String, Entry> entries = new HashMap<>();
  private long schedulingCycle;
  private long moveRequestCycle = -1;

  public SchedulingQueue(Plugin.QueueSort sort, Duration initialBackoff, Duration maxBackoff) {
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.active = new PriorityQueue<>((a, b) -> sort.less(a.pod, a.queuedAt, b.pod, b.queuedAt) ? -1
        : sort.less(b.pod, b.queuedAt, a.pod, a.queuedAt) ? 1 : 0);
  }

  /** A new pending pod, or a change to one already queued (a changed unschedulable pod is tried again). */
  public void addOrUpdate(PodInfo pod, long now) {
    Entry e = entries.get(pod.key());
    if (e == null) {
      e = new Entry(pod, now);
      entries.put(pod.key(), e);
      toActive(e);
      return;
    }
    switch (e.where) {
      case ACTIVE -> {
        active.remove(e);
        e.pod = pod;
        active.add(e);
      }
      case BACKOFF -> e.pod = pod;
      case UNSCHEDULABLE -> {
        e.pod = pod;
        unschedulable.remove(pod.key());
        toActiveOrBackoff(e, now);
      }
      case IN_FLIGHT -> e.pod = pod;
    }
  }

  /** The pod is gone, bound elsewhere or no longer ours. */
  public void delete(String key) {
    Entry e = entries.remove(key);
    if (e == null) {
      return;
    }
    switch (e.where) {
      case ACTIVE -> active.remove(e);
      case BACKOFF -> backoff.remove(e);
      case UNSCHEDULABLE -> unschedulable.remove(key);
      case IN_FLIGHT -> { }
    }
  }

  /** The next pod for a cycle, or empty. */
  public Optional<Popped> pop() {
    Entry e = active.poll();
    if (e == null) {
      return Optional.empty();
    }
    e.where = Where.IN_FLIGHT;
    e.attempts++;
    schedulingCycle++;
    return Optional.of(new Popped(e.pod, e.attempts, schedulingCycle));
  }

  /** The popped pod was bound: it leaves the queue. */
  public void done(String key) {
    Entry e = entries.get(key);
    if (e != null && e.where == Where.IN_FLIGHT) {
      entries.remove(key);
    }
  }

  /**
   * No node fitted in cycle {@code cycle}: wait for an event, or back off at once if one came while the
   * pod was being scheduled.
   */
  public void requeueUnschedulable(String key, long cycle, long now) {
    requeueUnschedulable(key, cycle, now, null);
  }

  /** As {@link #requeueUnschedulable(String, long, long)}, woken only by one of {@code wakeOn} (null: any). */
  public void requeueUnschedulable(String key, long cycle, long now, Set<ClusterEvent> wakeOn) {
    Entry e = entries.get(key);
    if (e == null || e.where != Where.IN_FLIGHT) {
      return;
    }
    e.backoffUntil = now + backoffOf(e.attempts).toMillis();
    if (moveRequestCycle >= cycle) {
      toBackoff(e);
    } else {
      e.where = Where.UNSCHEDULABLE;
      e.wakeOn = wakeOn;
      e.unschedulableSince = now;
      unschedulable.put(key, e);
    }
  }

  /** The cycle or the binding failed for another reason (a write error): try again after the backoff. */
  public void requeueAfterError(String key, long now) {
    Entry e = entries.get(key);
    if (e == null || e.where != Where.IN_FLIGHT) {
      return;
    }
    e.backoffUntil = now + backoffOf(e.attempts).toMillis();
    toBackoff(e);
  }

  /**
   * Anything may have changed (the cluster was listed again): every unschedulable pod moves to activeQ, or
   * to backoffQ while its backoff lasts.
   */
  public void onClusterEvent(long now) {
    onClusterEvent(null, now);
  }

  /**
   * {@code event} may make waiting pods fit: the unschedulable pods it may help (null: all) move to
   * activeQ, or to backoffQ while their backoff lasts. A pod in flight meanwhile backs off instead of
   * waiting, whatever the event (Kubernetes' {@code moveRequestCycle}).
   */
  public void onClusterEvent(ClusterEvent event, long now) {
    if (!unschedulable.isEmpty()) {
      List<Entry> moving = new ArrayList<>();
      for (Entry e : unschedulable.values()) {
        if (event == null || e.wakeOn == null || e.wakeOn.contains(event)) {
          moving.add(e);
        }
      }
      for (Entry e : moving) {
        unschedulable.remove(e.pod.key());
        toActiveOrBackoff(e, now);
      }
    }
    moveRequestCycle = schedulingCycle;
  }

  /** Pods whose backoff has ended go to activeQ. */
  public void flushBackoffCompleted(long now) {
    while (!backoff.isEmpty() && backoff.peek().backoffUntil <= now) {
      toActive(backoff.poll());
    }
  }

  /** Pods unschedulable for longer than {@code maxWait} are tried again (the safety net for missed events). */
  public void flushUnschedulableLeftover(long now, Duration maxWait) {
    List<Entry> moving = new ArrayList<>();
    for (Entry e : unschedulable.values()) {
      if (now - e.unschedulableSince >= maxWait.toMillis()) {
        moving.add(e);
      }
    }
    for (Entry e : moving) {
      unschedulable.remove(e.pod.key());
      toActiveOrBackoff(e, now);
    }
  }

  /** Kubernetes' {@code calculateBackoffDuration}: initial × 2^(attempts-1), at most the max. */
  public Duration backoffOf(int attempts) {
    Duration d = initialBackoff;
    for (int i = 1; i < attempts; i++) {
      d = d.multipliedBy(2);
      if (d.compareTo(maxBackoff) >= 0) {
        return maxBackoff;
      }
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  private void toActiveOrBackoff(Entry e, long now) {
    if (e.backoffUntil > now) {
      toBackoff(e);
    } else {
      toActive(e);
    }
  }

  private void toActive(Entry e) {
    e.where = Where.ACTIVE;
    active.add(e);
  }

  private void toBackoff(Entry e) {
    e.where = Where.BACKOFF;
    backoff.add(e);
  }

  public int activeCount() {
    return active.size();
  }

  public int backoffCount() {
    return backoff.size();
  }

  public int unschedulableCount() {
    return unschedulable.size();
  }

  public boolean contains(String key) {
    return entries.containsKey(key);
  }

  /** The earliest end of a backoff, for a timer; empty when nothing backs off. */
  public Optional<Long> nextBackoffEnd() {
    return backoff.isEmpty() ? Optional.empty() : Optional.of(backoff.peek().backoffUntil);
  }
}
