package io.pekkube.actors.controllers.pvprotection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.controllers.runtime.ControllerSingleton;
import io.pekkube.actors.controllers.runtime.ObjectWriter;
import io.pekkube.actors.controllers.runtime.QueueWorker;
import io.pekkube.actors.controllers.runtime.TypeWatch;
import io.pekkube.actors.gateway.ApiClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Kubernetes' PV protection controller, once per cluster (a singleton on the control plane). It watches
 * PersistentVolumes and syncs one at a time when it is being deleted or lacks the
 * {@code kubernetes.io/pv-protection} finalizer ({@link VolumeProtection} decides): a volume being deleted
 * goes once it is no longer Bound, so deleting a bound volume waits for its claim. All its state comes from
 * LIST and WATCH, so a restarted or moved controller carries on.
 */
public final class PvProtectionController {
  static final String USER = "system:serviceaccount:kube-system:pv-protection-controller";

  public interface Command extends NoSerializationVerificationNeeded {}

  private record Notified(TypeWatch.Notification notification) implements Command {}

  private record Synced(String name, Throwable failure) implements Command {}

  private record Requeue(String name) implements Command {}

  private PvProtectionController() {}

  public static void initSingleton(ActorSystem<?> system, ApiClient client) {
    ControllerSingleton.init(system, "pv-protection-controller", create(client));
  }

  public static Behavior<Command> create(ApiClient client) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Map<String, ObjectNode> volumes = new HashMap<>();
      ObjectWriter writer = new ObjectWriter(client, BuiltinTypes.PERSISTENT_VOLUME, USER);
      QueueWorker<String, Command> worker = new QueueWorker<>(ctx, timers, name -> sync(writer, volumes.get(name)),
          Synced::new, Requeue::new);
      ctx.spawn(TypeWatch.create(client, BuiltinTypes.PERSISTENT_VOLUME,
          ctx.messageAdapter(TypeWatch.Notification.class, Notified::new)), "watch-persistentvolumes");
      return Behaviors.receive(Command.class)
          .onMessage(Notified.class, n -> {
            if (n.notification() instanceof TypeWatch.Changed changed) {
              onChanged(volumes, worker, changed.object(), changed.deleted());
            } else {
              volumes.clear();
              ((TypeWatch.Listed) n.notification()).objects().forEach(v -> onChanged(volumes, worker, v, false));
              worker.start();
            }
            return Behaviors.same();
          })
          .onMessage(Synced.class, s -> {
            worker.finished(s.name(), s.failure());
            return Behaviors.same();
          })
          .onMessage(Requeue.class, r -> {
            worker.add(r.name());
            return Behaviors.same();
          })
          .build();
    }));
  }

  /** Kubernetes' {@code pvAddedUpdated}: only a volume with something to do is queued. */
  private static void onChanged(Map<String, ObjectNode> volumes, QueueWorker<String, Command> worker,
      ObjectNode volume, boolean deleted) {
    String name = Json.meta(volume, "name");
    if (deleted) {
      volumes.remove(name);
      return;
    }
    volumes.put(name, volume);
    if (VolumeProtection.decide(volume).isPresent()) {
      worker.add(name);
    }
  }

  private static CompletionStage<?> sync(ObjectWriter writer, ObjectNode volume) {
    return volume == null ? CompletableFuture.completedFuture(null)
        : VolumeProtection.decide(volume).<CompletionStage<?>>map(writer::update)
            .orElse(CompletableFuture.completedFuture(null));
  }
}
