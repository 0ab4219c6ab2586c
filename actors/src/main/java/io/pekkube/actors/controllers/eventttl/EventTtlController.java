package io.pekkube.actors.controllers.eventttl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.controllers.runtime.ControllerSingleton;
import io.pekkube.actors.controllers.runtime.TypeWatch;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Kubernetes' {@code --event-ttl}, once per cluster (a singleton on the control plane): core/v1 and
 * events.k8s.io/v1 Events are deleted through the gateway once the TTL has passed since their last write
 * ({@link EventExpiry}), so watchers see DELETED and the hubs drop them. Each type is watched; only
 * names, revisions and deadlines are kept ({@link ExpiryQueue}). A deletion requires the revision the
 * Event was last seen at, so an Event written again meanwhile is left for its new deadline. A restarted
 * controller lists the Events again and deletes those already past their time at once.
 */
public final class EventTtlController {
  /** The API server's own identity: in Kubernetes the store itself drops the Event when its lease ends. */
  static final String USER = "system:apiserver";
  static final List<ResourceType> TYPES = List.of(BuiltinTypes.EVENT, BuiltinTypes.EVENTS_EVENT);
  /** Deletions under way at once, so that a backlog (after a long stop) drains fast without a burst. */
  static final int MAX_IN_FLIGHT = 16;
  static final Duration RETRY = Duration.ofSeconds(5);

  public interface Command extends NoSerializationVerificationNeeded {}

  private record Notified(TypeWatch.Notification notification) implements Command {}

  private record Expire() implements Command {}

  private record Deleted(ResourceType type, ExpiryQueue.Due due, ResourceEntity.WriteResult result,
      Throwable failure) implements Command {}

  private EventTtlController() {}

  public static void initSingleton(ActorSystem<?> system, ApiClient client, EventTtlSettings settings) {
    ControllerSingleton.init(system, "event-ttl-controller", create(client, settings.ttl(), Clock.systemUTC()));
  }

  public static Behavior<Command> create(ApiClient client, Duration ttl, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ActorRef<TypeWatch.Notification> adapter = ctx.messageAdapter(TypeWatch.Notification.class, Notified::new);
      for (ResourceType type : TYPES) {
        ctx.spawn(TypeWatch.create(client, type, adapter), "watch-" + type.resourceKey());
      }
      return new Expirer(ctx, timers, client, ttl, clock).behavior();
    }));
  }

  private static final class Expirer {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final ApiClient client;
    private final Duration ttl;
    private final Clock clock;
    private final Map<ResourceType, ExpiryQueue> queues = new HashMap<>();
    private int inFlight;

    Expirer(ActorContext<Command> ctx, TimerScheduler<Command> timers, ApiClient client, Duration ttl, Clock clock) {
      this.ctx = ctx;
      this.timers = timers;
      this.client = client;
      this.ttl = ttl;
      this.clock = clock;
      TYPES.forEach(type -> queues.put(type, new ExpiryQueue()));
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Notified.class, n -> {
            onNotification(n.notification());
            expire();
            return Behaviors.same();
          })
          .onMessage(Expire.class, e -> {
            expire();
            return Behaviors.same();
          })
          .onMessage(Deleted.class, d -> {
            onDeleted(d);
            expire();
            return Behaviors.same();
          })
          .build();
    }

    private void onNotification(TypeWatch.Notification notification) {
      Instant now = clock.instant();
      if (notification instanceof TypeWatch.Listed listed) {
        ExpiryQueue queue = new ExpiryQueue();
        for (ObjectNode event : listed.objects()) {
          if (!EventExpiry.beingDeleted(event)) {
            queue.track(name(event), revision(event), EventExpiry.expiresAt(EventExpiry.lastWrite(event, now), ttl));
          }
        }
        queues.put(listed.type(), queue);
      } else if (notification instanceof TypeWatch.Changed changed) {
        ExpiryQueue queue = queues.get(changed.type());
        ObjectNode event = changed.object();
        if (changed.deleted() || EventExpiry.beingDeleted(event)) {
          queue.forget(name(event));
        } else {
          queue.track(name(event), revision(event), EventExpiry.expiresAt(now, ttl));
        }
      }
    }

    /** Starts the deletions that are due, then waits for the next deadline. */
    private void expire() {
      Instant now = clock.instant();
      for (ResourceType type : TYPES) {
        for (ExpiryQueue.Due due : queues.get(type).takeDue(now, MAX_IN_FLIGHT - inFlight)) {
          inFlight++;
          ctx.pipeToSelf(client.delete(type, due.name().namespace(), due.name().name(),
                  new ApiClient.Preconditions("", Long.toString(due.revision())), "", null, false, USER),
              (result, failure) -> new Deleted(type, due, result, failure));
        }
      }
      Optional<Instant> next = queues.values().stream().flatMap(q -> q.next().stream()).min(Instant::compareTo);
      if (next.isPresent() && inFlight < MAX_IN_FLIGHT) {
        Duration wait = Duration.between(now, next.get());
        timers.startSingleTimer(Expire.class, new Expire(), wait.isNegative() ? Duration.ZERO : wait);
      } else {
        // Nothing waits, or every slot is busy: the next outcome or change looks again.
        timers.cancel(Expire.class);
      }
    }

    private void onDeleted(Deleted d) {
      inFlight--;
      ExpiryQueue queue = queues.get(d.type());
      ExpiryQueue.Due due = d.due();
      int code = d.result() instanceof ResourceEntity.Rejected rejected ? rejected.error().code() : 0;
      if (code == 409) {
        // Written again since it was seen: the watch brings that write and with it the new deadline.
        return;
      }
      if (d.failure() != null || code != 0 && code != 404) {
        ctx.getLog().info("event ttl: deleting {} {}/{} failed ({}); again in {}", d.type().resourceKey(),
            due.name().namespace(), due.name().name(),
            d.failure() != null ? d.failure().getMessage() : d.result(), RETRY);
        queue.retryAt(due.name(), due.revision(), clock.instant().plus(RETRY));
        return;
      }
      queue.forget(due.name(), due.revision());
    }

    private static ExpiryQueue.Name name(ObjectNode event) {
      return new ExpiryQueue.Name(Json.meta(event, "namespace"), Json.meta(event, "name"));
    }

    private static long revision(ObjectNode event) {
      return Long.parseLong(Json.meta(event, "resourceVersion"));
    }
  }
}
