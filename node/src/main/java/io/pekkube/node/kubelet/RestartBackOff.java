package io.pekkube.node.kubelet;

import java.time.Duration;
import java.time.Instant;

/**
 * The kubelet's restart back-off of one container (CrashLoopBackOff), as {@code doBackOff} decides it:
 * the first restart after an exit is immediate and arms a delay of {@code initial}; each later exit
 * waits out the delay counted from when the container finished, and doubles it up to {@code max}. A
 * container that ran at least {@code resetAfter} before it exited starts over (Kubernetes forgets a
 * back-off entry that was not touched for that long).
 */
public record RestartBackOff(Duration initial, Duration max, Duration resetAfter) {

  public static final RestartBackOff KUBERNETES =
      new RestartBackOff(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10));

  /** The back-off of one container: the delay in force (null: none yet). */
  public record Entry(Duration delay) {
    public static final Entry NONE = new Entry(null);
  }

  /** What to do about an exited container that the restart policy wants running again. */
  public sealed interface Decision permits Restart, Wait {}

  /** Start it now, remembering {@code entry}. */
  public record Restart(Entry entry) implements Decision {}

  /** Still in back-off until {@code until}: containerStatuses show waiting CrashLoopBackOff. */
  public record Wait(Instant until, Duration delay) implements Decision {}

  public Decision decide(Entry entry, Instant startedAt, Instant finishedAt, Instant now) {
    Entry current = entry;
    if (current.delay() != null && Duration.between(startedAt, finishedAt).compareTo(resetAfter) >= 0) {
      current = Entry.NONE;
    }
    if (current.delay() == null) {
      return new Restart(new Entry(initial));
    }
    Instant until = finishedAt.plus(current.delay());
    if (now.isBefore(until)) {
      return new Wait(until, current.delay());
    }
    Duration doubled = current.delay().multipliedBy(2);
    return new Restart(new Entry(doubled.compareTo(max) > 0 ? max : doubled));
  }

  /** The message of the waiting state, as the kubelet words it. */
  public static String message(Duration delay, String container, String podName, String namespace, String uid) {
    return "back-off " + goDuration(delay) + " restarting failed container=" + container + " pod=" + podName + "_"
        + namespace + "(" + uid + ")";
  }

  /** Go's {@code time.Duration.String()} for whole seconds: 10s, 1m20s, 5m0s. */
  static String goDuration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    return (s / 60) + "m" + (s % 60) + "s";
  }
}
