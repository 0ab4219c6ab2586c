package io.pekkube.actors.controllers.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ObjectFilter;
import io.pekkube.actors.resources.ResourceHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The informer of one type for a controller: LIST, then WATCH from the list's revision, telling the
 * controller {@link Listed} (the whole current set, replacing what it knew of the type) and then each
 * {@link Changed}. When the watch fails (410 Gone, a lost hub) it lists again, so the controller's view
 * is always rebuilt from the API and never depends on what it missed.
 */
public final class TypeWatch {

  /** What the controller hears. */
  public sealed interface Notification extends NoSerializationVerificationNeeded permits Listed, Changed {}

  /** Every object of the type as of {@code resourceVersion}, the revision the watch resumes from. */
  public record Listed(ResourceType type, List<ObjectNode> objects, long resourceVersion) implements Notification {}

  /** {@code change}: ADDED, MODIFIED or DELETED (the object as it was last). */
  public record Changed(ResourceType type, String change, ObjectNode object) implements Notification {
    public boolean deleted() {
      return "DELETED".equals(change);
    }
  }

  private record ListDone(ResourceHub.ListResult result, Throwable failure) implements NoSerializationVerificationNeeded {}

  private record Relist() implements NoSerializationVerificationNeeded {}

  private static final Duration RETRY = Duration.ofSeconds(1);

  private TypeWatch() {}

  public static Behavior<Object> create(ApiClient client, ResourceType type, ActorRef<Notification> controller) {
    return create(client, type, ObjectFilter.all(type.kind()), controller);
  }

  /** An informer of the objects {@code filter} selects (e.g. a kubelet's pods: {@code spec.nodeName=<node>}). */
  public static Behavior<Object> create(ApiClient client, ResourceType type, ObjectFilter filter,
      ActorRef<Notification> controller) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ObjectFilter all = filter;
      Runnable list = () -> ctx.pipeToSelf(client.list(type, all, "", false, 0, ""), ListDone::new);
      list.run();
      return Behaviors.receive(Object.class)
          .onMessage(ListDone.class, done -> {
            if (done.result() instanceof ResourceHub.Listed listed) {
              List<ObjectNode> objects = new ArrayList<>(listed.items().size());
              listed.items().forEach(item -> objects.add(Json.parseTrusted(item)));
              controller.tell(new Listed(type, objects, listed.resourceVersion()));
              client.watch(type, all, Long.toString(listed.resourceVersion()), false, false, ctx.getSelf().narrow());
            } else {
              ctx.getLog().info("listing {} failed ({}); retrying", type.resourceKey(),
                  done.failure() != null ? done.failure().toString() : done.result());
              timers.startSingleTimer(new Relist(), RETRY);
            }
            return Behaviors.same();
          })
          .onMessage(ResourceHub.Change.class, c -> {
            controller.tell(new Changed(type, c.type(), Json.parseTrusted(c.object())));
            return Behaviors.same();
          })
          .onMessage(ResourceHub.WatchFailed.class, f -> {
            // The relay has stopped; start over from a fresh LIST.
            ctx.getLog().info("watch of {} ended ({}); listing again", type.resourceKey(), f.error().message());
            timers.startSingleTimer(new Relist(), RETRY);
            return Behaviors.same();
          })
          .onMessage(Relist.class, r -> {
            list.run();
            return Behaviors.same();
          })
          .onAnyMessage(other -> Behaviors.same())
          .build();
    }));
  }
}
