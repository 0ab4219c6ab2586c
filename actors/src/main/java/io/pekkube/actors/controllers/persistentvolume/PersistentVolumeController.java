package io.pekkube.actors.controllers.persistentvolume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.controllers.runtime.ControllerSingleton;
import io.pekkube.actors.controllers.runtime.TypeWatch;
import io.pekkube.actors.controllers.runtime.WorkQueue;
import io.pekkube.actors.events.EventRecorder;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import io.pekkube.actors.scheduler.framework.VolumeInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Kubernetes' PersistentVolume controller ({@code persistentvolume-binder}), once per cluster (a singleton on
 * the control plane). It watches PersistentVolumes, PersistentVolumeClaims, StorageClasses and the pods
 * that use claims, keeps them as its view ({@link Observed}, never older than its own writes), and syncs one
 * claim or volume at a time, as Kubernetes' single workers do: {@link VolumeSync} decides, {@link
 * VolumeOperations} writes. A claim or volume is synced when it changes, when something it waits for
 * changes, after a failed sync (0.5 s doubling to 30 s) and every {@code resync-period}. Provisioning and
 * deletion run beside the syncs, one per claim or volume, retried with back-off (0.5 s doubling to 2 min).
 * All its state comes from LIST and WATCH, so a restarted or moved controller carries on.
 */
public final class PersistentVolumeController {
  static final List<ResourceType> WATCHED = List.of(BuiltinTypes.PERSISTENT_VOLUME,
      BuiltinTypes.PERSISTENT_VOLUME_CLAIM, BuiltinTypes.STORAGE_CLASS, BuiltinTypes.POD);
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);
  /** Kubernetes' goroutinemap back-off of a failed operation. */
  private static final Duration MAX_OPERATION_RETRY = Duration.ofSeconds(122);

  public interface Command extends NoSerializationVerificationNeeded {}

  private record Notified(TypeWatch.Notification notification) implements Command {}

  /** A claim ({@code namespace/name}) or a volume (its name) to sync. */
  record Key(boolean claim, String name) {}

  private record Synced(Key key, Throwable failure) implements Command {}

  private record ClaimRead(Key volume, ObjectNode claim) implements Command {}

  private record Stored(ObjectNode object) implements Command {}

  private record HandedOff(VolumeAction action) implements Command {}

  private record OperationDone(String name, Key key, Throwable failure) implements Command {}

  private record Requeue(Key key) implements Command {}

  private record Resync() implements Command {}

  private PersistentVolumeController() {}

  public static void initSingleton(ActorSystem<?> system, ApiClient client, PersistentVolumeSettings settings) {
    ControllerSingleton.init(system, "persistent-volume-controller", create(client, settings, Clock.systemUTC()));
  }

  public static Behavior<Command> create(ApiClient client, PersistentVolumeSettings settings, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Running(ctx, timers, client, settings, clock).behavior()));
  }

  private static final class Running {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final ApiClient client;
    private final Clock clock;
    private final VolumeOperations operations;
    private final Map<String, VolumeInfo> volumes = new HashMap<>();
    private final Map<String, ObjectNode> claims = new HashMap<>();
    private final Map<String, ObjectNode> classes = new HashMap<>();
    private final Map<String, Observed.PodClaims> pods = new HashMap<>();
    private final Observed observed = new Observed(Collections.unmodifiableMap(volumes),
        Collections.unmodifiableMap(claims), Collections.unmodifiableMap(classes), Collections.unmodifiableMap(pods));
    private final WorkQueue<Key> queue = new WorkQueue<>();
    private final Map<Key, Integer> failures = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private final Map<String, Backoff> backoffs = new HashMap<>();
    private final Set<ResourceType> synced = new HashSet<>();
    private boolean started;

    /** When a failed operation may run again, and how long the next wait is. */
    private record Backoff(Instant notBefore, Duration next) {}

    Running(ActorContext<Command> ctx, TimerScheduler<Command> timers, ApiClient client,
        PersistentVolumeSettings settings, Clock clock) {
      this.ctx = ctx;
      this.timers = timers;
      this.client = client;
      this.clock = clock;
      ActorRef<Command> self = ctx.getSelf();
      EventRecorder events = new EventRecorder(client, VolumeOperations.USER,
          new EventRecorder.Source("persistentvolume-controller", ""), clock);
      this.operations = new VolumeOperations(client, events, settings, object -> self.tell(new Stored(object)));
      ActorRef<TypeWatch.Notification> notifications = ctx.messageAdapter(TypeWatch.Notification.class, Notified::new);
      for (ResourceType type : WATCHED) {
        ctx.spawn(TypeWatch.create(client, type, notifications), "watch-" + type.resourceKey());
      }
      timers.startTimerWithFixedDelay(new Resync(), settings.resyncPeriod());
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Notified.class, n -> {
            if (n.notification() instanceof TypeWatch.Listed listed) {
              onListed(listed);
            } else {
              TypeWatch.Changed c = (TypeWatch.Changed) n.notification();
              if ("DELETED".equals(c.change())) {
                onDeleted(c.type(), c.object());
              } else {
                onChanged(c.type(), c.object());
              }
            }
            pump();
            return Behaviors.same();
          })
          .onMessage(Stored.class, s -> {
            store(s.object(), false);
            pump();
            return Behaviors.same();
          })
          .onMessage(ClaimRead.class, r -> {
            VolumeInfo volume = volumes.get(r.volume().name());
            if (volume == null
                || !execute(r.volume(), VolumeSync.syncVolume(volume.object(), sameClaim(volume, r.claim())))) {
              finished(r.volume(), null);
            }
            return Behaviors.same();
          })
          .onMessage(Synced.class, s -> {
            finished(s.key(), s.failure());
            return Behaviors.same();
          })
          .onMessage(HandedOff.class, h -> {
            onHandedOff(h.action());
            pump();
            return Behaviors.same();
          })
          .onMessage(OperationDone.class, d -> {
            running.remove(d.name());
            if (d.failure() == null) {
              backoffs.remove(d.name());
            } else {
              Backoff previous = backoffs.get(d.name());
              Duration wait = previous == null ? FIRST_RETRY : previous.next();
              Duration next = wait.multipliedBy(2).compareTo(MAX_OPERATION_RETRY) > 0 ? MAX_OPERATION_RETRY
                  : wait.multipliedBy(2);
              backoffs.put(d.name(), new Backoff(clock.instant().plus(wait), next));
              ctx.getLog().info("{} failed ({}); again in {}", d.name(),
                  VolumeOperations.cause(d.failure()).getMessage(), wait);
              timers.startSingleTimer("requeue-" + d.key(), new Requeue(d.key()), wait);
            }
            queue.add(d.key());
            pump();
            return Behaviors.same();
          })
          .onMessage(Requeue.class, r -> {
            queue.add(r.key());
            pump();
            return Behaviors.same();
          })
          .onMessage(Resync.class, r -> {
            if (started) {
              claims.keySet().forEach(k -> queue.add(new Key(true, k)));
              volumes.keySet().forEach(k -> queue.add(new Key(false, k)));
              pump();
            }
            return Behaviors.same();
          })
          .build();
    }

    // ---- the view ----

    /** A type's whole current set: what vanished is deleted, the rest stored. */
    private void onListed(TypeWatch.Listed listed) {
      ResourceType type = listed.type();
      Set<String> vanished = new HashSet<>(type == BuiltinTypes.PERSISTENT_VOLUME ? volumes.keySet()
          : type == BuiltinTypes.PERSISTENT_VOLUME_CLAIM ? claims.keySet()
          : type == BuiltinTypes.STORAGE_CLASS ? classes.keySet() : pods.keySet());
      for (ObjectNode object : listed.objects()) {
        vanished.remove(key(object));
      }
      for (String key : vanished) {
        ObjectNode gone = type == BuiltinTypes.PERSISTENT_VOLUME ? volumes.get(key).object()
            : type == BuiltinTypes.PERSISTENT_VOLUME_CLAIM ? claims.get(key)
            : type == BuiltinTypes.STORAGE_CLASS ? classes.get(key) : null;
        if (gone != null) {
          onDeleted(type, gone);
        } else {
          pods.remove(key);
        }
      }
      listed.objects().forEach(object -> onChanged(type, object));
      if (synced.add(type) && !started && synced.size() == WATCHED.size()) {
        started = true;
        ctx.getLog().info("persistent volume controller synced: {} volumes, {} claims, {} classes", volumes.size(),
            claims.size(), classes.size());
        claims.keySet().forEach(k -> queue.add(new Key(true, k)));
        volumes.keySet().forEach(k -> queue.add(new Key(false, k)));
      }
    }

    private void onChanged(ResourceType type, ObjectNode object) {
      if (type == BuiltinTypes.POD) {
        Observed.PodClaims uses = Observed.PodClaims.of(object);
        if (uses == null) {
          pods.remove(key(object));
        } else {
          pods.put(key(object), uses);
        }
        return;
      }
      store(object, true);
    }

    /**
     * Keeps the newer of the known and the given object (by resourceVersion). A change seen on a watch
     * ({@code fromWatch}) queues what it bears on; the controller's own writes do not, as in Kubernetes.
     */
    private void store(ObjectNode object, boolean fromWatch) {
      String kind = object.path("kind").asText("");
      String key = key(object);
      switch (kind) {
        case "PersistentVolume" -> {
          VolumeInfo known = volumes.get(key);
          if (known != null && !newer(object, known.object())) {
            return;
          }
          VolumeInfo volume = VolumeInfo.of(object);
          volumes.put(key, volume);
          if (fromWatch) {
            queue.add(new Key(false, key));
          }
          if ("Available".equals(volume.phase()) && volume.claimRef() == null) {
            wakeClaims(volume.storageClassName());
          }
        }
        case "PersistentVolumeClaim" -> {
          if (claims.containsKey(key) && !newer(object, claims.get(key))) {
            return;
          }
          claims.put(key, object);
          if (fromWatch) {
            queue.add(new Key(true, key));
          }
        }
        case "StorageClass" -> {
          if (classes.containsKey(key) && !newer(object, classes.get(key))) {
            return;
          }
          classes.put(key, object);
          wakeClaims(key);
        }
        default -> { }
      }
    }

    /** Claims still waiting for a volume of this class: one may have become available. */
    private void wakeClaims(String storageClass) {
      if (!started) {
        return;
      }
      claims.forEach((key, claim) -> {
        ClaimInfo info = ClaimInfo.of(claim);
        if (!info.bindCompleted() && info.volumeName().isEmpty() && info.storageClassName().equals(storageClass)) {
          queue.add(new Key(true, key));
        }
      });
    }

    /** Kubernetes' deleteVolume and deleteClaim: the other side of the binding is synced at once. */
    private void onDeleted(ResourceType type, ObjectNode object) {
      String key = key(object);
      if (type == BuiltinTypes.PERSISTENT_VOLUME) {
        volumes.remove(key);
        JsonNode ref = object.path("spec").path("claimRef");
        String claim = Observed.key(ref.path("namespace").asText(""), ref.path("name").asText(""));
        if (ref.isObject() && claims.containsKey(claim)) {
          queue.add(new Key(true, claim));
        }
      } else if (type == BuiltinTypes.PERSISTENT_VOLUME_CLAIM) {
        claims.remove(key);
        String volumeName = object.path("spec").path("volumeName").asText("");
        volumes.forEach((name, volume) -> {
          if (name.equals(volumeName) || volume.claimRef() != null
              && Observed.key(volume.claimRef().namespace(), volume.claimRef().name()).equals(key)) {
            queue.add(new Key(false, name));
          }
        });
      } else if (type == BuiltinTypes.STORAGE_CLASS) {
        classes.remove(key);
      } else {
        pods.remove(key);
      }
    }

    // ---- the syncs ----

    /** One sync at a time, as Kubernetes' single claim and volume workers: two would race for one volume. */
    private void pump() {
      while (started && queue.processing() == 0) {
        var next = queue.take();
        if (next.isEmpty()) {
          return;
        }
        Key key = next.get();
        if (!startSync(key)) {
          queue.done(key);
          failures.remove(key);
        }
      }
    }

    /** Starts the sync of {@code key}; false when it had nothing to do. */
    private boolean startSync(Key key) {
      if (key.claim()) {
        ObjectNode claim = claims.get(key.name());
        return claim != null && execute(key, VolumeSync.syncClaim(claim, observed));
      }
      VolumeInfo volume = volumes.get(key.name());
      if (volume == null) {
        return false;
      }
      VolumeInfo.ClaimRef ref = volume.claimRef();
      if (ref == null || ref.uid().isEmpty()) {
        return execute(key, VolumeSync.syncVolume(volume.object(), null));
      }
      ObjectNode cached = claims.get(Observed.key(ref.namespace(), ref.name()));
      if (cached != null && Json.meta(cached, "uid").equals(ref.uid())
          || cached == null && (volume.phase().equals("Released") || volume.phase().equals("Failed"))) {
        return execute(key, VolumeSync.syncVolume(volume.object(), cached));
      }
      // The claim may be newer than this view (created and bound by the scheduler or a provisioner a moment
      // ago): read it before a volume is released for want of it.
      ctx.pipeToSelf(client.get(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, ref.namespace(), ref.name()),
          (got, failure) -> failure != null ? new Synced(key, failure)
              : new ClaimRead(key, got.object() == null ? null : Json.parseTrusted(got.object())));
      return true;
    }

    /** The claim the volume is bound to, or null when this one is another claim of the same name. */
    private static ObjectNode sameClaim(VolumeInfo volume, ObjectNode claim) {
      return claim != null && volume.claimRef() != null && Json.meta(claim, "uid").equals(volume.claimRef().uid())
          ? claim : null;
    }

    /** Runs the sync's actions; false when there are none. */
    private boolean execute(Key key, List<VolumeAction> actions) {
      if (actions.isEmpty()) {
        return false;
      }
      ActorRef<Command> self = ctx.getSelf();
      ctx.pipeToSelf(operations.run(actions, action -> self.tell(new HandedOff(action))),
          (v, failure) -> new Synced(key, failure));
      return true;
    }

    private void finished(Key key, Throwable failure) {
      queue.done(key);
      if (failure == null) {
        failures.remove(key);
      } else {
        int n = failures.merge(key, 1, Integer::sum);
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(n - 1, 6));
        Duration wait = delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay;
        ctx.getLog().debug("sync of {} failed ({}); again in {}", key, VolumeOperations.cause(failure).getMessage(),
            wait);
        timers.startSingleTimer("retry-" + key, new Requeue(key), wait);
      }
      pump();
    }

    /**
     * Starts an operation unless it runs already or waits out its back-off; queues a claim its volume waits for,
     * or a volume to be synced again.
     */
    private void onHandedOff(VolumeAction action) {
      if (action instanceof VolumeAction.SyncClaim s) {
        queue.add(new Key(true, s.key()));
        return;
      }
      if (action instanceof VolumeAction.SyncVolume s) {
        queue.add(new Key(false, s.name())); // while its sync runs: handed out again once it is done
        return;
      }
      String name;
      Key key;
      if (action instanceof VolumeAction.Provision p) {
        key = new Key(true, key(p.claim()));
        name = "provision-" + key.name() + "[" + Json.meta(p.claim(), "uid") + "]";
      } else {
        VolumeAction.Delete d = (VolumeAction.Delete) action;
        key = new Key(false, key(d.volume()));
        name = "delete-" + key.name() + "[" + Json.meta(d.volume(), "uid") + "]";
      }
      if (running.contains(name)) {
        return;
      }
      Backoff backoff = backoffs.get(name);
      if (backoff != null && clock.instant().isBefore(backoff.notBefore())) {
        return; // its timer queues the key again
      }
      running.add(name);
      var operation = action instanceof VolumeAction.Provision p ? operations.provision(p.claim(), p.storageClass())
          : operations.delete(((VolumeAction.Delete) action).volume());
      ctx.pipeToSelf(operation, (v, failure) -> new OperationDone(name, key, failure));
    }

    private static boolean newer(ObjectNode next, ObjectNode known) {
      return revision(next) > revision(known);
    }

    private static long revision(ObjectNode object) {
      try {
        return Long.parseLong(Json.meta(object, "resourceVersion"));
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    private static String key(JsonNode object) {
      String namespace = object.path("metadata").path("namespace").asText("");
      String name = object.path("metadata").path("name").asText("");
      return namespace.isEmpty() ? name : Observed.key(namespace, name);
    }
  }
}
