package io.pekkube.actors.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.TypeRegistry;
import io.pekkube.actors.controllers.garbagecollector.DependencyGraph.Node;
import io.pekkube.actors.controllers.runtime.ControllerSingleton;
import io.pekkube.actors.controllers.runtime.TypeWatch;
import io.pekkube.actors.controllers.runtime.WorkQueue;
import io.pekkube.actors.gateway.ApiClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * Kubernetes' garbage collector, once per cluster (a singleton on the control plane). It watches every
 * type through the {@link ApiClient} ({@link TypeWatch}), keeps a {@link DependencyGraph} of owners and
 * dependents, and reconciles an object whenever something that bears on it changes: it reads the object
 * and its owners live, asks {@link GarbageCollection#decide} what to do and writes through the gateway
 * ({@link GcWriter}). Nothing it needs lives only in memory: after a restart (or a move to another node)
 * it lists everything again and reconciles every indexed object, so a pending foreground or orphan
 * deletion simply continues.
 */
public final class GarbageCollector {

  public interface Command extends NoSerializationVerificationNeeded {}

  private record Notified(TypeWatch.Notification notification) implements Command {}

  private record Reconciled(String uid, Throwable failure) implements Command {}

  private record Requeue(String uid) implements Command {}

  /** Reconciles run at once, so that a large cascade goes at the speed of the store, not of one round trip. */
  static final int MAX_IN_FLIGHT = 16;
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private GarbageCollector() {}

  /** Starts the singleton on this node's side: every node calls it; it runs on one control-plane member. */
  public static void initSingleton(ActorSystem<?> system, ApiClient client, TypeRegistry types) {
    ControllerSingleton.init(system, "garbage-collector", create(client, types));
  }

  public static Behavior<Command> create(ApiClient client, TypeRegistry types) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Running(ctx, timers, client, types).behavior()));
  }

  /** The types worth watching: every stored type (the create-only reviews are never stored). */
  static List<ResourceType> watchedTypes(TypeRegistry types) {
    return types.all().stream().filter(t -> t.verbs().contains("list") && t.verbs().contains("watch")).toList();
  }

  private static final class Running {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final ApiClient client;
    private final OwnerLookup owners;
    private final GcWriter writer;
    private final List<ResourceType> watched;
    private final DependencyGraph graph = new DependencyGraph();
    private final WorkQueue<String> queue = new WorkQueue<>();
    private final Set<ResourceType> synced = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private boolean started;

    Running(ActorContext<Command> ctx, TimerScheduler<Command> timers, ApiClient client, TypeRegistry types) {
      this.ctx = ctx;
      this.timers = timers;
      this.client = client;
      this.owners = new OwnerLookup(client, types);
      this.writer = new GcWriter(client);
      this.watched = watchedTypes(types);
      ActorRef<TypeWatch.Notification> notifications = ctx.messageAdapter(TypeWatch.Notification.class, Notified::new);
      for (ResourceType type : watched) {
        ctx.spawn(TypeWatch.create(client, type, notifications), "watch-" + type.resourceKey());
      }
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Notified.class, n -> {
            if (n.notification() instanceof TypeWatch.Listed l) {
              onListed(l);
            } else {
              onChanged((TypeWatch.Changed) n.notification());
            }
            pump();
            return Behaviors.same();
          })
          .onMessage(Reconciled.class, r -> {
            queue.done(r.uid());
            if (r.failure() == null) {
              failures.remove(r.uid());
            } else {
              int n = failures.merge(r.uid(), 1, Integer::sum);
              Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(n - 1, 6));
              ctx.getLog().debug("garbage collection of {} failed ({}); again in {}", r.uid(), r.failure(), delay);
              timers.startSingleTimer("retry-" + r.uid(), new Requeue(r.uid()),
                  delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay);
            }
            pump();
            return Behaviors.same();
          })
          .onMessage(Requeue.class, r -> {
            queue.add(r.uid());
            pump();
            return Behaviors.same();
          })
          .build();
    }

    /** A type's whole current set: replaces what the graph held of it. */
    private void onListed(TypeWatch.Listed listed) {
      Set<String> vanished = graph.uidsOf(listed.type());
      for (ObjectNode object : listed.objects()) {
        String uid = Json.meta(object, "uid");
        vanished.remove(uid);
        Node node = DependencyGraph.nodeOf(listed.type(), object);
        Node previous = graph.put(uid, node);
        if (started && node != null) {
          changed(uid, previous, node);
        }
      }
      for (String uid : vanished) {
        Node previous = graph.put(uid, null);
        if (started) {
          deleted(uid, previous);
        }
      }
      boolean relist = !synced.add(listed.type());
      if (started && relist) {
        // Owners of this type may have gone while the watch was down: check everything that names one.
        for (String uid : graph.allUids()) {
          if (graph.get(uid).owners().stream().anyMatch(r -> r.kind().equals(listed.type().kind()))) {
            queue.add(uid);
          }
        }
      }
      if (!started && synced.size() == watched.size()) {
        started = true;
        ctx.getLog().info("garbage collector synced {} types; {} objects with owners or pending cascades",
            watched.size(), graph.size());
        graph.allUids().forEach(queue::add);
      }
    }

    private void onChanged(TypeWatch.Changed c) {
      String uid = Json.meta(c.object(), "uid");
      if ("DELETED".equals(c.change())) {
        Node previous = graph.put(uid, null);
        if (started) {
          deleted(uid, previous);
        }
        return;
      }
      Node node = DependencyGraph.nodeOf(c.type(), c.object());
      Node previous = graph.put(uid, node);
      if (started) {
        if (node == null) {
          deleted(uid, previous);
        } else {
          changed(uid, previous, node);
        }
      }
    }

    private void changed(String uid, Node previous, Node node) {
      queue.add(uid);
      if (node.awaitingGc()) {
        // A foreground owner's dependents are collected on their own; an orphaning one edits them.
        graph.dependentsOf(uid).forEach(d -> queue.add(d.uid()));
      }
      wakeOwnersOf(previous);
    }

    /** The object is gone (or no longer matters): its dependents may dangle, its owners may be unblocked. */
    private void deleted(String uid, Node previous) {
      graph.dependentsOf(uid).forEach(d -> queue.add(d.uid()));
      wakeOwnersOf(previous);
    }

    private void wakeOwnersOf(Node previous) {
      if (previous == null) {
        return;
      }
      for (OwnerReference r : previous.owners()) {
        Node owner = graph.get(r.uid());
        if (owner != null && owner.awaitingGc()) {
          queue.add(r.uid());
        }
      }
    }

    private void pump() {
      if (!started) {
        return;
      }
      while (queue.processing() < MAX_IN_FLIGHT) {
        var next = queue.take();
        if (next.isEmpty()) {
          return;
        }
        String uid = next.get();
        Node node = graph.get(uid);
        if (node == null) {
          queue.done(uid);
          continue;
        }
        ctx.pipeToSelf(reconcile(node, graph.dependentsOf(uid)), (v, failure) -> new Reconciled(uid, failure));
      }
    }

    /** Reads the object live, then its owners, decides and writes. */
    private CompletionStage<Void> reconcile(Node node, List<Dependent> dependents) {
      var ref = node.ref();
      return client.get(ref.type(), ref.namespace(), ref.name()).thenCompose(got -> {
        if (got.object() == null) {
          return CompletableFuture.<Void>completedFuture(null);
        }
        JsonNode object = Json.parseTrusted(got.object());
        if (!node.uid().equals(Json.meta(object, "uid"))) {
          return CompletableFuture.<Void>completedFuture(null);
        }
        CompletionStage<Map<String, OwnerState>> ownerStates = object.path("metadata").hasNonNull("deletionTimestamp")
            ? CompletableFuture.completedFuture(Map.of())
            : owners.statesOf(ref, OwnerReference.of(object));
        return ownerStates.thenCompose(states ->
            writer.run(GarbageCollection.decide(ref, object, states, dependents)));
      });
    }
  }
}
