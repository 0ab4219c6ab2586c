package io.pekkube.actors.resources;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Stands between one watch and the hub serving it, so that the watch survives the hub moving (a
 * rebalance, or the death of the node hosting it): when the hub stops, the relay subscribes again
 * through sharding from the last revision it forwarded, so the client sees no gap and no duplicate.
 */
public final class WatchRelay {

  /** How the relay reaches the type's hub: sharding in production. */
  public interface HubLink {
    void subscribe(ResourceHub.Subscribe subscribe);

    void unsubscribe(ActorRef<ResourceHub.WatchEvent> sink);
  }

  private static final Duration RESUBSCRIBE_DELAY = Duration.ofMillis(200);

  private record Resubscribe() implements LocalOnly {}

  private interface LocalOnly extends org.apache.pekko.actor.NoSerializationVerificationNeeded {}

  private WatchRelay() {}

  public static Behavior<Object> create(HubLink hub, ObjectFilter filter, String resourceVersion,
      boolean bookmarks, boolean sendInitialEvents, ActorRef<ResourceHub.WatchEvent> downstream) {
    return Behaviors.setup(ctx -> {
      ActorRef<ResourceHub.WatchEvent> self = ctx.getSelf().narrow();
      ctx.watch(downstream);
      hub.subscribe(new ResourceHub.Subscribe(filter, resourceVersion, bookmarks, sendInitialEvents, self));
      return Behaviors.withTimers(timers -> new Object() {
        long lastRevision = -1;
        ActorRef<ResourceHub.Command> serving;

        Behavior<Object> behavior() {
          return Behaviors.receive(Object.class)
              .onMessage(ResourceHub.Subscribed.class, s -> {
                serving = s.hub();
                ctx.watch(s.hub());
                lastRevision = Math.max(lastRevision, s.from());
                return Behaviors.same();
              })
              .onMessage(ResourceHub.Change.class, c -> {
                lastRevision = Math.max(lastRevision, c.revision());
                downstream.tell(c);
                return Behaviors.same();
              })
              .onMessage(ResourceHub.Bookmark.class, b -> {
                lastRevision = Math.max(lastRevision, b.resourceVersion());
                downstream.tell(b);
                return Behaviors.same();
              })
              .onMessage(ResourceHub.WatchFailed.class, f -> {
                downstream.tell(f);
                hub.unsubscribe(self);
                return Behaviors.stopped();
              })
              .onMessage(Resubscribe.class, r -> {
                // The hub was rebuilt from the journal: continue exactly after what was forwarded.
                hub.subscribe(new ResourceHub.Subscribe(filter, Long.toString(lastRevision), bookmarks, false,
                    self));
                return Behaviors.same();
              })
              .onSignal(Terminated.class, t -> {
                if (t.getRef().equals(downstream)) {
                  hub.unsubscribe(self);
                  return Behaviors.stopped();
                }
                if (t.getRef().equals(serving) && lastRevision >= 0) {
                  serving = null;
                  timers.startSingleTimer(new Resubscribe(), RESUBSCRIBE_DELAY);
                }
                return Behaviors.same();
              })
              .build();
        }
      }.behavior());
    });
  }
}
