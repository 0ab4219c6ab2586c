package io.pekkube.actors.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.controllers.runtime.ControllerSingleton;
import io.pekkube.actors.controllers.runtime.TypeWatch;
import io.pekkube.actors.controllers.runtime.WorkQueue;
import io.pekkube.actors.gateway.ApiClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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

/**
 * Kubernetes' node lifecycle controller and taint eviction controller, once per cluster (a singleton on
 * the control plane). It watches Nodes, the Leases in {@code kube-node-lease} and bound Pods; every
 * {@code node-monitor-period}, and whenever a node or pod changes, it asks {@link NodeHealth} what a node
 * needs (conditions Unknown, taints) and {@link TaintEviction} whether a pod must go, then reads the object
 * live, decides again on what it read and makes one write through the gateway ({@link NodeLifecycleWriter});
 * a node with more to do is queued again. Nothing lives only in memory but the heartbeat clock, which a
 * restarted controller starts afresh (every node gets a whole grace period, as in Kubernetes).
 */
public final class NodeLifecycleController {

  public interface Command extends NoSerializationVerificationNeeded {}

  private record Notified(TypeWatch.Notification notification) implements Command {}

  private record Tick() implements Command {}

  private record Reconciled(String key, boolean again, Throwable failure) implements Command {}

  /** The live objects a reconcile decides on: a node (pod null), or a pod and its node; node null when gone. */
  private record Fetched(String key, ObjectNode node, BoundPod pod) implements Command {
    Fetched withKey(String k) {
      return new Fetched(k, node, pod);
    }
  }

  static final String LEASE_NAMESPACE = "kube-node-lease";
  private static final int MAX_IN_FLIGHT = 8;
  private static final String NODE = "node/";
  private static final String POD = "pod/";

  private NodeLifecycleController() {}

  /** Every node calls it; the controller runs on one control-plane member. */
  public static void initSingleton(ActorSystem<?> system, ApiClient client, NodeLifecycleSettings settings) {
    ControllerSingleton.init(system, "node-lifecycle-controller", create(client, settings, Clock.systemUTC()));
  }

  public static Behavior<Command> create(ApiClient client, NodeLifecycleSettings settings, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), settings.monitorPeriod());
      return new Running(ctx, client, settings, clock).behavior();
    }));
  }

  private static final class Running {
    private final ActorContext<Command> ctx;
    private final ApiClient client;
    private final NodeLifecycleSettings settings;
    private final Clock clock;
    private final NodeLifecycleWriter writer;
    private final HeartbeatTracker heartbeats = new HeartbeatTracker();
    /** Nodes by name, each only as much as the decisions read ({@link NodeHealth#decidingFields}). */
    private final Map<String, ObjectNode> nodes = new HashMap<>();
    /** Bound pods by uid. */
    private final Map<String, BoundPod> pods = new HashMap<>();
    /** When this controller first saw a NoExecute taint that carries no timeAdded (node/key/effect). */
    private final Map<String, Instant> taintsFirstSeen = new HashMap<>();
    private final WorkQueue<String> queue = new WorkQueue<>();
    private final Set<ResourceType> synced = new HashSet<>();

    Running(ActorContext<Command> ctx, ApiClient client, NodeLifecycleSettings settings, Clock clock) {
      this.ctx = ctx;
      this.client = client;
      this.settings = settings;
      this.clock = clock;
      this.writer = new NodeLifecycleWriter(client);
      ActorRef<TypeWatch.Notification> notifications = ctx.messageAdapter(TypeWatch.Notification.class, Notified::new);
      for (ResourceType type : List.of(BuiltinTypes.NODE, BuiltinTypes.LEASE, BuiltinTypes.POD)) {
        ctx.spawn(TypeWatch.create(client, type, notifications), "watch-" + type.resourceKey());
      }
    }

    private boolean started() {
      return synced.size() == 3;
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Notified.class, n -> {
            Instant now = clock.instant();
            if (n.notification() instanceof TypeWatch.Listed l) {
              onListed(l, now);
            } else {
              onChanged((TypeWatch.Changed) n.notification(), now);
            }
            pump();
            return Behaviors.same();
          })
          .onMessage(Tick.class, t -> {
            if (started()) {
              Instant now = clock.instant();
              nodes.values().forEach(node -> lookAtNode(node, now));
              pods.values().forEach(pod -> lookAtPod(pod, now));
              pump();
            }
            return Behaviors.same();
          })
          .onMessage(Fetched.class, f -> {
            onFetched(f);
            return Behaviors.same();
          })
          .onMessage(Reconciled.class, r -> {
            queue.done(r.key());
            if (r.failure() != null) {
              ctx.getLog().info("node lifecycle: {} failed ({}); looking again at the next pass", r.key(),
                  r.failure().getMessage());
            } else if (r.again()) {
              queue.add(r.key());
            }
            pump();
            return Behaviors.same();
          })
          .build();
    }

    private void onListed(TypeWatch.Listed listed, Instant now) {
      ResourceType type = listed.type();
      if (type.equals(BuiltinTypes.NODE)) {
        nodes.clear();
        listed.objects().forEach(node -> putNode(node, now));
      } else if (type.equals(BuiltinTypes.LEASE)) {
        listed.objects().forEach(lease -> putLease(lease, now));
      } else {
        pods.clear();
        listed.objects().forEach(this::putPod);
      }
      synced.add(type);
    }

    private void onChanged(TypeWatch.Changed c, Instant now) {
      boolean deleted = "DELETED".equals(c.change());
      ResourceType type = c.type();
      if (type.equals(BuiltinTypes.NODE)) {
        String name = Json.meta(c.object(), "name");
        if (deleted) {
          nodes.remove(name);
          heartbeats.forget(name);
          return;
        }
        putNode(c.object(), now);
        if (started()) {
          lookAtNode(c.object(), now);
          pods.values().stream().filter(p -> name.equals(p.nodeName())).forEach(p -> lookAtPod(p, now));
        }
      } else if (type.equals(BuiltinTypes.LEASE)) {
        if (!deleted) {
          putLease(c.object(), now);
        }
      } else if (deleted) {
        pods.remove(Json.meta(c.object(), "uid"));
      } else {
        BoundPod pod = putPod(c.object());
        if (started() && pod.bound()) {
          lookAtPod(pod, now);
        }
      }
    }

    private void putNode(ObjectNode node, Instant now) {
      nodes.put(Json.meta(node, "name"), NodeHealth.decidingFields(node));
      heartbeats.observeNode(node, now);
    }

    private void putLease(ObjectNode lease, Instant now) {
      if (LEASE_NAMESPACE.equals(Json.meta(lease, "namespace"))) {
        heartbeats.observeLease(lease, now);
      }
    }

    private BoundPod putPod(ObjectNode object) {
      BoundPod pod = BoundPod.of(object);
      if (pod.bound()) {
        pods.put(pod.uid(), pod);
      } else {
        pods.remove(pod.uid());
      }
      return pod;
    }

    private void lookAtNode(ObjectNode node, Instant now) {
      String name = Json.meta(node, "name");
      if (!NodeHealth.decide(node, heartbeats.lastHeard(name, now), now, settings.gracePeriod()).isEmpty()) {
        queue.add(NODE + name);
      }
    }

    private void lookAtPod(BoundPod pod, Instant now) {
      ObjectNode node = nodes.get(pod.nodeName());
      if (node != null && TaintEviction.decide(pod, taintsOf(node, now), now) instanceof TaintEviction.EvictNow) {
        queue.add(POD + pod.uid());
      }
    }

    /** The node's taints, a NoExecute one without timeAdded dated from when this controller first saw it. */
    private List<Taint> taintsOf(JsonNode node, Instant now) {
      String name = node.path("metadata").path("name").asText();
      List<Taint> taints = new ArrayList<>();
      for (Taint t : Taint.of(node)) {
        if (t.timeAdded() == null && Taint.NO_EXECUTE.equals(t.effect())) {
          Instant seen = taintsFirstSeen.computeIfAbsent(name + "/" + t.key() + "/" + t.effect(), k -> now);
          t = new Taint(t.key(), t.value(), t.effect(), seen);
        }
        taints.add(t);
      }
      return taints;
    }

    private void pump() {
      while (queue.processing() < MAX_IN_FLIGHT) {
        var next = queue.take();
        if (next.isEmpty()) {
          return;
        }
        String key = next.get();
        if (key.startsWith(NODE)) {
          ctx.pipeToSelf(client.get(BuiltinTypes.NODE, "", key.substring(NODE.length())),
              (got, failure) -> failure != null ? new Reconciled(key, false, failure)
                  : new Fetched(key, got.object() == null ? null : Json.parseTrusted(got.object()), null));
        } else {
          ctx.pipeToSelf(fetchPodAndNode(pods.get(key.substring(POD.length()))),
              (fetched, failure) -> failure != null ? new Reconciled(key, false, failure) : fetched.withKey(key));
        }
      }
    }

    private void onFetched(Fetched f) {
      CompletionStage<Boolean> write = f.node() == null ? CompletableFuture.completedFuture(false)
          : f.pod() == null ? writeNode(f.node()) : evictIfDue(f.pod(), f.node());
      ctx.pipeToSelf(write, (again, failure) -> new Reconciled(f.key(), Boolean.TRUE.equals(again), failure));
    }

    /** Reads the pod, then the node it is bound to (both live); nulls when either is gone. */
    private CompletionStage<Fetched> fetchPodAndNode(BoundPod cached) {
      if (cached == null) {
        return CompletableFuture.completedFuture(new Fetched("", null, null));
      }
      return client.get(BuiltinTypes.POD, cached.namespace(), cached.name()).thenCompose(p -> {
        BoundPod pod = p.object() == null ? null : BoundPod.of(Json.parseTrusted(p.object()));
        if (pod == null || !cached.uid().equals(pod.uid()) || !pod.bound()) {
          return CompletableFuture.completedFuture(new Fetched("", null, null));
        }
        return client.get(BuiltinTypes.NODE, "", pod.nodeName()).thenApply(n ->
            new Fetched("", n.object() == null ? null : Json.parseTrusted(n.object()), pod));
      });
    }

    /** Decides on the node just read and makes the first write; true when more remain. */
    private CompletionStage<Boolean> writeNode(ObjectNode live) {
      Instant now = clock.instant();
      String name = Json.meta(live, "name");
      List<NodeAction> actions = NodeHealth.decide(live, lastHeardConsidering(live, name, now), now,
          settings.gracePeriod());
      if (actions.isEmpty()) {
        return CompletableFuture.completedFuture(false);
      }
      ctx.getLog().info("node lifecycle: node {}: {}", name, describe(actions.get(0)));
      return writer.apply(live, actions.get(0)).thenApply(v -> actions.size() > 1);
    }

    /**
     * What the tracker heard, or now when the object just read carries a Ready heartbeat the watch has not
     * delivered yet: a kubelet's fresh update must not be mistaken for silence.
     */
    private Instant lastHeardConsidering(ObjectNode live, String name, Instant now) {
      ObjectNode cached = nodes.get(name);
      boolean newer = cached != null
          && !HeartbeatTracker.readyHeartbeat(cached).equals(HeartbeatTracker.readyHeartbeat(live));
      return newer ? now : heartbeats.lastHeard(name, now);
    }

    private CompletionStage<Boolean> evictIfDue(BoundPod pod, ObjectNode node) {
      Instant now = clock.instant();
      if (!(TaintEviction.decide(pod, taintsOf(node, now), now) instanceof TaintEviction.EvictNow)) {
        return CompletableFuture.completedFuture(false);
      }
      ctx.getLog().info("node lifecycle: deleting pod {}/{} from node {} (untolerated NoExecute taint)",
          pod.namespace(), pod.name(), pod.nodeName());
      return writer.evict(pod).thenApply(v -> false);
    }

    private static String describe(NodeAction action) {
      return action instanceof NodeAction.SetTaints t
          ? "taints " + t.taints().stream().map(x -> x.key() + ":" + x.effect()).toList()
          : "conditions Unknown (" + NodeHealth.REASON_UNKNOWN + ")";
    }
  }
}
