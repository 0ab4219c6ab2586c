package io.pekkube.actors.controllers.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A controller's single worker over its {@link WorkQueue}, as client-go's rate-limited queue with one worker:
 * one key is synced at a time, and a key whose sync failed is queued again after client-go's per-item
 * exponential back-off (5 ms doubling to 1000 s; a success forgets its failures). The sync runs outside the
 * actor, so it must not read the actor's state; its end comes back as the actor's own {@code done} message,
 * which the actor hands to {@link #finished}, and a back-off's end as {@code requeue}, handed to {@link #add}.
 */
public final class QueueWorker<K, C> {
  static final Duration BASE_DELAY = Duration.ofMillis(5);
  static final Duration MAX_DELAY = Duration.ofSeconds(1000);

  private final ActorContext<C> ctx;
  private final TimerScheduler<C> timers;
  private final Function<K, CompletionStage<?>> sync;
  private final BiFunction<K, Throwable, C> done;
  private final Function<K, C> requeue;
  private final WorkQueue<K> queue = new WorkQueue<>();
  private final Map<K, Integer> failures = new HashMap<>();
  private boolean started;

  /**
   * {@code sync}: starts the sync of a key (read what it needs from the actor's view now) and completes when
   * it is over; {@code done}: the message that says so; {@code requeue}: the message that ends a back-off.
   */
  public QueueWorker(ActorContext<C> ctx, TimerScheduler<C> timers, Function<K, CompletionStage<?>> sync,
      BiFunction<K, Throwable, C> done, Function<K, C> requeue) {
    this.ctx = ctx;
    this.timers = timers;
    this.sync = sync;
    this.done = done;
    this.requeue = requeue;
  }

  /** Nothing is synced before the controller's view is complete (client-go's WaitForCacheSync). */
  public void start() {
    started = true;
    pump();
  }

  public void add(K key) {
    queue.add(key);
    pump();
  }

  /** The sync of {@code key} ended; a failure queues it again after its back-off. */
  public void finished(K key, Throwable failure) {
    queue.done(key);
    if (failure == null) {
      failures.remove(key);
    } else {
      Duration wait = backoff(failures.merge(key, 1, Integer::sum));
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
          : failure;
      ctx.getLog().debug("sync of {} failed ({}); again in {}", key, cause.getMessage(), wait);
      timers.startSingleTimer("requeue-" + key, requeue.apply(key), wait);
    }
    pump();
  }

  /** client-go's {@code ItemExponentialFailureRateLimiter}: the wait after the n-th failure in a row. */
  static Duration backoff(int failures) {
    int doublings = Math.min(failures - 1, 30);
    Duration wait = BASE_DELAY.multipliedBy(1L << doublings);
    return wait.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : wait;
  }

  private void pump() {
    if (!started || queue.processing() > 0) {
      return;
    }
    queue.take().ifPresent(key -> ctx.pipeToSelf(sync.apply(key), (v, failure) -> done.apply(key, failure)));
  }
}
