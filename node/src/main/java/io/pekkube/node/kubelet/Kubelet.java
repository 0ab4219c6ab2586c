package io.pekkube.node.kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.controllers.runtime.TypeWatch;
import io.pekkube.actors.pods.PodBoundNotice;
import io.pekkube.actors.resources.ObjectFilter;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.node.runtime.RunningContainer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The kubelet of one node: keeps the node registered and its lease renewed ({@link NodeHeartbeat}),
 * watches the pods bound to it ({@code spec.nodeName}) and runs each through a {@link PodWorker}. On
 * start it lists its pods and hands each worker the containers the runtime still runs for that pod
 * (adopted after a kubelet restart); containers of pods that are gone are stopped. A child registered
 * with the Receptionist under {@link PodBoundNotice#serviceKey} takes the scheduler's notices of a
 * binding, so a pod starts without waiting for the watch, which stays the safety net.
 */
public final class Kubelet extends AbstractBehavior<Kubelet.Command> {

  public sealed interface Command {}

  /** From the scheduler: this pod was just bound here (a hint; the watch delivers it too). */
  private record PodBound(PodBoundNotice notice) implements Command, NoSerializationVerificationNeeded {}

  private record PodsChanged(TypeWatch.Notification notification) implements Command, NoSerializationVerificationNeeded {}

  private record PodRead(ResourceEntity.GetResult result) implements Command, NoSerializationVerificationNeeded {}

  private record WorkerEnded(String uid) implements Command, NoSerializationVerificationNeeded {}

  private final PodEnvironment env;
  private final Map<String, ActorRef<PodWorker.Command>> workers = new HashMap<>();
  /** The revision of the newest state of each worker's pod seen here, by the watch, a list or a notice's read. */
  private final Map<String, Long> seenRevision = new HashMap<>();
  private List<RunningContainer> leftOver;
  /**
   * Uids of pods whose deletion the watch reported lately (a uid never comes back). A bound notice's read
   * can be answered after the deletion it raced; it must not start the pod again.
   */
  private final Set<String> recentlyDeleted = java.util.Collections.newSetFromMap(
      new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > RECENT_DELETIONS;
        }
      });
  private static final int RECENT_DELETIONS = 4096;

  public static Behavior<Command> create(PodEnvironment env, NodeObjects.Identity identity,
      Supplier<NodeResources> resources, NodeHeartbeat.Timing timing) {
    return Behaviors.setup(ctx -> {
      ctx.spawn(NodeHeartbeat.create(env.client(), identity, resources, timing, env.clock()), "heartbeat");
      ActorRef<Command> self = ctx.getSelf();
      ActorRef<PodBoundNotice> notices = ctx.spawn(Behaviors.receive(PodBoundNotice.class)
          .onMessage(PodBoundNotice.class, n -> {
            self.tell(new PodBound(n));
            return Behaviors.same();
          }).build(), "bound-notices");
      ctx.getSystem().receptionist().tell(Receptionist.register(PodBoundNotice.serviceKey(env.nodeName()), notices));
      ActorRef<TypeWatch.Notification> adapter = ctx.messageAdapter(TypeWatch.Notification.class, PodsChanged::new);
      ctx.spawn(TypeWatch.create(env.client(), BuiltinTypes.POD,
          new ObjectFilter("Pod", "", "", "spec.nodeName=" + env.nodeName()), adapter), "pods", Props.empty());
      return new Kubelet(ctx, env);
    });
  }

  private Kubelet(ActorContext<Command> ctx, PodEnvironment env) {
    super(ctx);
    this.env = env;
    List<RunningContainer> running;
    try {
      running = env.runtime().running();
    } catch (RuntimeException e) {
      ctx.getLog().warn("the runtime could not list its containers: {}", e.toString());
      running = List.of();
    }
    this.leftOver = new ArrayList<>(running);
    // What this host lets the runtime enforce (limits, users, mounts); pods run either way.
    ctx.getLog().info("kubelet {}: {}", env.nodeName(), env.runtime().enforcement().note());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(PodsChanged.class, c -> onPods(c.notification()))
        .onMessage(PodBound.class, b -> {
          getContext().pipeToSelf(env.client().get(BuiltinTypes.POD, b.notice().namespace(), b.notice().name()),
              (r, f) -> new PodRead(r));
          return this;
        })
        .onMessage(PodRead.class, r -> {
          if (r.result() != null && r.result().object() != null) {
            ObjectNode pod = Json.parseTrusted(r.result().object());
            if (env.nodeName().equals(pod.path("spec").path("nodeName").asText())
                && !recentlyDeleted.contains(Json.meta(pod, "uid"))) {
              podSeen(pod);
            }
          }
          return this;
        })
        .onMessage(WorkerEnded.class, e -> {
          workers.remove(e.uid());
          seenRevision.remove(e.uid());
          return this;
        })
        .build();
  }

  private Behavior<Command> onPods(TypeWatch.Notification notification) {
    if (notification instanceof TypeWatch.Listed listed) {
      Set<String> present = new HashSet<>();
      for (ObjectNode pod : listed.objects()) {
        present.add(Json.meta(pod, "uid"));
        podSeen(pod);
      }
      for (String uid : new ArrayList<>(workers.keySet())) {
        // A pod read after the list was taken (a bound notice's read) is newer than the list: its
        // absence there says nothing, and the watch resumed from the list brings its deletion if any.
        if (!present.contains(uid) && seenRevision.getOrDefault(uid, 0L) <= listed.resourceVersion()) {
          workers.get(uid).tell(new PodWorker.PodRemoved());
        }
      }
      if (leftOver != null) {
        // Containers of pods that are no longer bound here were left by an earlier kubelet: stop them.
        for (RunningContainer orphan : leftOver) {
          getContext().getLog().info("stopping container {} of a pod no longer on this node", orphan.id());
          orphan.stop(Duration.ofSeconds(2));
        }
        leftOver = null;
      }
    } else if (notification instanceof TypeWatch.Changed changed) {
      String uid = Json.meta(changed.object(), "uid");
      if (changed.change().equals("DELETED")) {
        recentlyDeleted.add(uid);
        ActorRef<PodWorker.Command> worker = workers.get(uid);
        if (worker != null) {
          worker.tell(new PodWorker.PodRemoved());
        }
      } else {
        podSeen(changed.object());
      }
    }
    return this;
  }

  private void podSeen(ObjectNode pod) {
    String uid = Json.meta(pod, "uid");
    seenRevision.merge(uid, revision(pod), Math::max);
    ActorRef<PodWorker.Command> worker = workers.get(uid);
    if (worker != null) {
      worker.tell(new PodWorker.PodChanged(pod));
      return;
    }
    List<RunningContainer> adopted = new ArrayList<>();
    if (leftOver != null) {
      leftOver.removeIf(c -> {
        if (c.spec().podUid().equals(uid)) {
          adopted.add(c);
          return true;
        }
        return false;
      });
    }
    worker = getContext().spawn(PodWorker.create(env, adopted), "pod-" + uid);
    worker.tell(new PodWorker.PodChanged(pod));
    getContext().watchWith(worker, new WorkerEnded(uid));
    workers.put(uid, worker);
  }

  private static long revision(ObjectNode pod) {
    try {
      return Long.parseLong(Json.meta(pod, "resourceVersion"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
