package io.pekkube.actors.controllers.pvcprotection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.controllers.pvcprotection.ClaimProtection.PodVolumes;
import io.pekkube.actors.controllers.runtime.ControllerSingleton;
import io.pekkube.actors.controllers.runtime.ObjectWriter;
import io.pekkube.actors.controllers.runtime.QueueWorker;
import io.pekkube.actors.controllers.runtime.TypeWatch;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ObjectFilter;
import io.pekkube.actors.resources.ResourceHub;
import io.pekkube.actors.storage.ProtectionFinalizers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Kubernetes' PVC protection controller, once per cluster (a singleton on the control plane). It watches
 * PersistentVolumeClaims and the pods that name claims, and syncs one claim at a time ({@link ClaimProtection}
 * decides): a claim being deleted loses its {@code kubernetes.io/pvc-protection} finalizer once no pod uses
 * it, which lets it go, and a claim without the finalizer gets it. A claim is synced when it is being deleted
 * or lacks the finalizer, and then again whenever a pod that names it changes or goes. Before it lets a claim
 * go it lists the pods of the claim's namespace live, as Kubernetes' {@code askAPIServer}: a pod placed a
 * moment ago may not be in its view yet. All its state comes from LIST and WATCH, so a restarted or moved
 * controller carries on.
 */
public final class PvcProtectionController {
  static final String USER = "system:serviceaccount:kube-system:pvc-protection-controller";
  private static final List<ResourceType> WATCHED = List.of(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, BuiltinTypes.POD);

  public interface Command extends NoSerializationVerificationNeeded {}

  private record Notified(TypeWatch.Notification notification) implements Command {}

  private record Synced(String key, Throwable failure) implements Command {}

  private record Requeue(String key) implements Command {}

  private PvcProtectionController() {}

  public static void initSingleton(ActorSystem<?> system, ApiClient client) {
    ControllerSingleton.init(system, "pvc-protection-controller", create(client));
  }

  public static Behavior<Command> create(ApiClient client) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Running(ctx, timers, client).behavior()));
  }

  private static final class Running {
    private final ApiClient client;
    private final ObjectWriter writer;
    private final QueueWorker<String, Command> worker;
    /** Claims by {@code namespace/name}. */
    private final Map<String, ObjectNode> claims = new HashMap<>();
    /** The pods that name claims, by {@code namespace/name}. */
    private final Map<String, PodVolumes> pods = new HashMap<>();
    private final Set<ResourceType> synced = new HashSet<>();

    Running(ActorContext<Command> ctx, TimerScheduler<Command> timers, ApiClient client) {
      this.client = client;
      this.writer = new ObjectWriter(client, BuiltinTypes.PERSISTENT_VOLUME_CLAIM, USER);
      this.worker = new QueueWorker<>(ctx, timers, this::sync, Synced::new, Requeue::new);
      ActorRef<TypeWatch.Notification> notifications = ctx.messageAdapter(TypeWatch.Notification.class, Notified::new);
      for (ResourceType type : WATCHED) {
        ctx.spawn(TypeWatch.create(client, type, notifications), "watch-" + type.resourceKey());
      }
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Notified.class, n -> {
            if (n.notification() instanceof TypeWatch.Changed changed) {
              onChanged(changed.type(), changed.object(), changed.deleted());
            } else {
              onListed((TypeWatch.Listed) n.notification());
            }
            return Behaviors.same();
          })
          .onMessage(Synced.class, s -> {
            worker.finished(s.key(), s.failure());
            return Behaviors.same();
          })
          .onMessage(Requeue.class, r -> {
            worker.add(r.key());
            return Behaviors.same();
          })
          .build();
    }

    // ---- the view ----

    /** A type's whole current set: what vanished went while the watch was down. */
    private void onListed(TypeWatch.Listed listed) {
      Set<String> vanished = new HashSet<>(listed.type() == BuiltinTypes.POD ? pods.keySet() : claims.keySet());
      for (ObjectNode object : listed.objects()) {
        vanished.remove(key(object));
        onChanged(listed.type(), object, false);
      }
      for (String key : vanished) {
        if (listed.type() == BuiltinTypes.POD) {
          queueClaimsOf(pods.remove(key));
        } else {
          claims.remove(key);
        }
      }
      if (synced.add(listed.type()) && synced.size() == WATCHED.size()) {
        worker.start();
      }
    }

    private void onChanged(ResourceType type, ObjectNode object, boolean deleted) {
      String key = key(object);
      if (type == BuiltinTypes.POD) {
        PodVolumes next = deleted ? null : PodVolumes.of(object);
        // The pod as it was may name claims the new one does not (a pod deleted and made again under its name).
        queueClaimsOf(next == null ? pods.remove(key) : pods.put(key, next));
        queueClaimsOf(next);
      } else if (deleted) {
        claims.remove(key);
      } else {
        claims.put(key, object);
        queueIfPending(key);
      }
    }

    private void queueClaimsOf(PodVolumes pod) {
      if (pod != null) {
        pod.claimKeys().forEach(this::queueIfPending);
      }
    }

    /** Kubernetes' {@code pvcAddedUpdated}: only a claim being deleted or without the finalizer has work. */
    private void queueIfPending(String key) {
      ObjectNode claim = claims.get(key);
      if (claim != null && (ProtectionFinalizers.isDeletionCandidate(claim, ProtectionFinalizers.PVC)
          || ProtectionFinalizers.needToAdd(claim, ProtectionFinalizers.PVC))) {
        worker.add(key);
      }
    }

    // ---- the sync ----

    /** Kubernetes' {@code processPVC}: decided on the view; a claim let go only after a live look at its pods. */
    private CompletionStage<?> sync(String key) {
      ObjectNode claim = claims.get(key);
      if (claim == null) {
        return CompletableFuture.completedFuture(null);
      }
      String namespace = Json.meta(claim, "namespace");
      Optional<ClaimProtection.Update> update = ClaimProtection.decide(claim,
          pods.values().stream().filter(p -> p.namespace().equals(namespace)).toList());
      if (update.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      if (!update.get().removesFinalizer()) {
        return writer.update(update.get().claim());
      }
      return livePods(namespace).thenCompose(live -> ClaimProtection.userOf(claim, live).isPresent()
          ? CompletableFuture.completedFuture(null) : writer.update(update.get().claim()));
    }

    private CompletionStage<List<PodVolumes>> livePods(String namespace) {
      return client.list(BuiltinTypes.POD, new ObjectFilter("Pod", namespace, "", ""), "", false, 0, "")
          .thenApply(result -> {
            if (!(result instanceof ResourceHub.Listed listed)) {
              throw new IllegalStateException("live list of pods failed: " + result);
            }
            List<PodVolumes> live = new ArrayList<>();
            for (String item : listed.items()) {
              PodVolumes pod = PodVolumes.of(Json.parseTrusted(item));
              if (pod != null) {
                live.add(pod);
              }
            }
            return live;
          });
    }

    private static String key(ObjectNode object) {
      return Json.meta(object, "namespace") + "/" + Json.meta(object, "name");
    }
  }
}
