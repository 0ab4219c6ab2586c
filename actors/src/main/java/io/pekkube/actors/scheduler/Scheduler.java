package io.pekkube.actors.scheduler;

import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.controllers.runtime.ControllerSingleton;
import io.pekkube.actors.controllers.runtime.TypeWatch;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.pods.PodBinder;
import io.pekkube.actors.pods.PodBoundNotice;
import io.pekkube.actors.scheduler.cache.SchedulerCache;
import io.pekkube.actors.scheduler.cache.VolumeCache;
import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.FitError;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import io.pekkube.actors.scheduler.plugins.Registry;
import io.pekkube.actors.scheduler.queue.SchedulingQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The one active scheduler (a cluster singleton on the control plane). It keeps a {@link SchedulerCache}
 * of nodes and placed pods from the node and pod watches (and of the storage objects, when a plugin
 * registers events on them: the {@link VolumeCache}), queues the pending pods of its profiles
 * ({@code spec.schedulerName}) in a {@link SchedulingQueue}, and runs one scheduling cycle per message:
 * the profile's {@link Framework} picks a node, the pod is assumed there, and the binding is written
 * asynchronously (PreBind, then Bind) while the next cycles go on. A pod no node fits gets a FailedScheduling
 * event and PodScheduled=False, and waits for a cluster event that one of the plugins that rejected it
 * registered (a node added or changed, a placed pod added, relabelled or deleted, a claim, volume or class
 * added or changed) or the periodic flush. Nothing lives only here: after a move it lists everything again.
 */
public final class Scheduler {

  public interface Command extends NoSerializationVerificationNeeded {}

  private record Notified(TypeWatch.Notification notification) implements Command {}

  private record ScheduleNext() implements Command {}

  private record BindDone(PodInfo pod, String nodeName, Status status) implements Command {}

  private record FlushBackoff() implements Command {}

  private record FlushUnschedulable() implements Command {}

  private Scheduler() {}

  /** Every member calls it; the scheduler runs on one control-plane member. */
  public static void initSingleton(ActorSystem<?> system, ApiClient client, SchedulerSettings settings) {
    ControllerSingleton.init(system, "scheduler", create(client, settings));
  }

  public static Behavior<Command> create(ApiClient client, SchedulerSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Running(ctx, timers, client, settings).behavior()));
  }

  /** How long the local Receptionist may take to say where a node's kubelet is. */
  private static final Duration KUBELET_LOOKUP = Duration.ofSeconds(5);

  private static final class Running {
    private final ActorContext<Command> ctx;
    private final SchedulerSettings settings;
    private final SchedulerWriter writer;
    private final Map<String, Framework> profiles = new HashMap<>();
    private final SchedulingQueue queue;
    private final SchedulerCache cache = new SchedulerCache();
    /** The last FailedScheduling message per pod, so an unchanged failure is not reported on every cycle. */
    private final Map<String, String> reported = new HashMap<>();
    private final Set<String> listed = new HashSet<>();
    /** Nodes, pods, namespaces and the storage types a plugin registered: no cycle runs before all are listed. */
    private final Set<ResourceType> watched =
        new HashSet<>(List.of(BuiltinTypes.NODE, BuiltinTypes.POD, BuiltinTypes.NAMESPACE));
    private final Set<ClusterEvent> registeredEvents = EnumSet.noneOf(ClusterEvent.class);
    private boolean scheduleRequested;
    private int bindsInFlight;

    Running(ActorContext<Command> ctx, TimerScheduler<Command> timers, ApiClient client, SchedulerSettings settings) {
      this.ctx = ctx;
      this.settings = settings;
      this.writer = new SchedulerWriter(client);
      Registry.Handle handle = new Registry.Handle(new PodBinder(client), client, cache.volumes());
      Random random = new Random();
      for (SchedulerSettings.Profile p : settings.profiles()) {
        Framework framework = Registry.framework(settings, p, handle, random);
        profiles.put(p.schedulerName(), framework);
        registeredEvents.addAll(framework.events());
      }
      Plugin.QueueSort sort = profiles.get(settings.profiles().get(0).schedulerName()).queueSort();
      this.queue = new SchedulingQueue(Objects.requireNonNull(sort, "the first profile needs a QueueSort plugin"),
          settings.podInitialBackoff(), settings.podMaxBackoff());
      ActorRef<TypeWatch.Notification> notifications = ctx.messageAdapter(TypeWatch.Notification.class, Notified::new);
      ctx.spawn(TypeWatch.create(client, BuiltinTypes.NODE, notifications), "watch-nodes");
      ctx.spawn(TypeWatch.create(client, BuiltinTypes.POD, notifications), "watch-pods");
      ctx.spawn(TypeWatch.create(client, BuiltinTypes.NAMESPACE, notifications), "watch-namespaces");
      for (ResourceType type : VolumeCache.TYPES) {
        if (registeredEvents.stream().anyMatch(e -> e.resource().equals(type))) {
          watched.add(type); // only profiles with a storage plugin pay for these watches
          ctx.spawn(TypeWatch.create(client, type, notifications), "watch-" + type.plural());
        }
      }
      timers.startTimerWithFixedDelay(new FlushBackoff(), settings.flushBackoffEvery());
      timers.startTimerWithFixedDelay(new FlushUnschedulable(), settings.flushUnschedulableEvery());
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Notified.class, n -> {
            onNotified(n.notification());
            requestCycle();
            return Behaviors.same();
          })
          .onMessage(ScheduleNext.class, s -> {
            scheduleRequested = false;
            scheduleOne();
            requestCycle();
            return Behaviors.same();
          })
          .onMessage(BindDone.class, d -> {
            onBindDone(d);
            requestCycle();
            return Behaviors.same();
          })
          .onMessage(FlushBackoff.class, f -> {
            queue.flushBackoffCompleted(System.currentTimeMillis());
            requestCycle();
            return Behaviors.same();
          })
          .onMessage(FlushUnschedulable.class, f -> {
            queue.flushUnschedulableLeftover(System.currentTimeMillis(), settings.podMaxInUnschedulablePods());
            requestCycle();
            return Behaviors.same();
          })
          .build();
    }

    /** One cycle per message, so watch events interleave with decisions and the cache stays current. */
    private void requestCycle() {
      if (!scheduleRequested && listed.size() == watched.size() && queue.activeCount() > 0
          && bindsInFlight < settings.maxBindsInFlight()) {
        scheduleRequested = true;
        ctx.getSelf().tell(new ScheduleNext());
      }
    }

    private void onNotified(TypeWatch.Notification n) {
      long now = System.currentTimeMillis();
      if (n instanceof TypeWatch.Listed l) {
        listed.add(l.type().resourceKey());
        if (l.type().equals(BuiltinTypes.NODE)) {
          cache.replaceNodes(l.objects());
        } else if (l.type().equals(BuiltinTypes.NAMESPACE)) {
          cache.replaceNamespaces(l.objects());
        } else if (VolumeCache.TYPES.contains(l.type())) {
          cache.volumes().replace(l.type(), l.objects());
        } else {
          List<PodInfo> pods = new ArrayList<>(l.objects().size());
          l.objects().forEach(o -> pods.add(PodInfo.of(o)));
          cache.replacePods(pods);
          pods.forEach(p -> onPod(p, now));
        }
        queue.onClusterEvent(now);
        return;
      }
      TypeWatch.Changed c = (TypeWatch.Changed) n;
      boolean deleted = "DELETED".equals(c.change());
      if (c.type().equals(BuiltinTypes.NAMESPACE)) {
        if (deleted) {
          cache.removeNamespace(c.object().path("metadata").path("name").asText());
        } else {
          cache.upsertNamespace(c.object());
        }
        return;
      }
      if (VolumeCache.TYPES.contains(c.type())) {
        if (deleted) {
          cache.volumes().remove(c.type(), c.object());
        } else {
          cache.volumes().upsert(c.type(), c.object());
        }
        ClusterEvent event = ClusterEvent.ofStorage(c.type(), c.change());
        if (event != null) {
          queue.onClusterEvent(event, now);
        }
        return;
      }
      if (c.type().equals(BuiltinTypes.NODE)) {
        String name = c.object().path("metadata").path("name").asText();
        if (deleted) {
          cache.removeNode(name);
          queue.onClusterEvent(ClusterEvent.NODE_DELETED, now);
          return;
        }
        NodeInfo before = cache.node(name);
        Set<ClusterEvent> events = nodeEvents(before == null || !before.exists() ? null : before, NodeInfo.of(c.object()));
        cache.upsertNode(c.object());
        for (ClusterEvent e : events) {
          queue.onClusterEvent(e, now);
        }
        return;
      }
      PodInfo pod = PodInfo.of(c.object());
      PodInfo placed = cache.placed(pod.key());
      boolean wasBound = placed != null && !cache.isAssumed(pod.key());
      if (deleted) {
        cache.removePod(pod.key());
        queue.delete(pod.key());
        reported.remove(pod.key());
        if (placed != null) {
          queue.onClusterEvent(ClusterEvent.POD_DELETED, now); // its room is free now
        }
        return;
      }
      cache.updatePod(pod);
      onPod(pod, now);
      ClusterEvent event = podEvent(placed, wasBound, pod);
      if (event != null) {
        queue.onClusterEvent(event, now);
      }
    }

    /** What a pod's change means to waiting pods: placed (bound, or its binding confirmed), relabelled, gone. */
    private static ClusterEvent podEvent(PodInfo before, boolean wasBound, PodInfo now) {
      boolean counts = now.bound() && !now.finished();
      if (before != null && !counts && now.bound()) {
        return ClusterEvent.POD_DELETED; // finished: it holds nothing any more
      }
      if (counts && !wasBound) {
        return ClusterEvent.POD_ADDED;
      }
      if (counts && !before.labels().equals(now.labels())) {
        return ClusterEvent.POD_LABELS_CHANGED;
      }
      return null;
    }

    /** Queues a pending pod of one of our profiles; anything else leaves the queue. */
    private void onPod(PodInfo pod, long now) {
      boolean ours = profiles.containsKey(pod.schedulerName());
      if (pod.bound() || !ours || pod.terminating() || pod.finished()) {
        queue.delete(pod.key());
        if (pod.bound()) {
          reported.remove(pod.key());
        }
        return;
      }
      if (cache.isAssumed(pod.key())) {
        return; // its binding is being written
      }
      queue.addOrUpdate(pod, now);
    }

    /** A new node ({@code old} null), or what changed of it that the plugins look at. */
    private static Set<ClusterEvent> nodeEvents(NodeInfo old, NodeInfo now) {
      if (old == null) {
        return EnumSet.of(ClusterEvent.NODE_ADDED);
      }
      Set<ClusterEvent> events = EnumSet.noneOf(ClusterEvent.class);
      if (!old.labels().equals(now.labels())) {
        events.add(ClusterEvent.NODE_LABELS_CHANGED);
      }
      if (!old.taints().equals(now.taints()) || old.unschedulable() != now.unschedulable()) {
        events.add(ClusterEvent.NODE_TAINTS_CHANGED);
      }
      if (!old.allocatable().sameAs(now.allocatable())) {
        events.add(ClusterEvent.NODE_ALLOCATABLE_CHANGED);
      }
      return events;
    }

    private void scheduleOne() {
      var next = queue.pop();
      if (next.isEmpty()) {
        return;
      }
      PodInfo pod = next.get().pod();
      Framework framework = profiles.get(pod.schedulerName());
      long now = System.currentTimeMillis();
      List<NodeInfo> nodes = cache.nodes();
      Framework.Result result = framework.schedule(pod, cache);
      if (result instanceof Framework.Selected s) {
        cache.assume(pod, s.nodeName());
        Status reserved = framework.runReserve(pod, s.nodeName());
        Status permitted = reserved.isSuccess() ? framework.runPermit(pod, s.nodeName()) : reserved;
        if (!permitted.isSuccess()) {
          if (reserved.isSuccess()) {
            framework.runUnreserve(pod, s.nodeName());
          }
          cache.forget(pod.key());
          failed(pod, next.get().cycle(), permitted.message(), framework.eventsToRetry(Set.of(permitted.plugin())), now);
          return;
        }
        bindsInFlight++;
        ctx.pipeToSelf(bind(framework, pod, s.nodeName()),
            (status, failure) -> new BindDone(pod, s.nodeName(),
                failure != null ? Status.error("DefaultBinder", failure.toString()) : status));
        return;
      }
      FitError fit = ((Framework.Unschedulable) result).error();
      String message = fit.message();
      if (fit.numAllNodes() > 0) {
        Plugin.PostFilterResult post = framework.runPostFilters(pod, fit.nodeStatuses(), nodes);
        if (post != null && post.status().isSuccess()) {
          preempt(pod, post);
        } else if (post != null) {
          message = fit.withPostFilterMsg(post.status().message()).message();
        }
      }
      Set<String> rejecting = new HashSet<>();
      fit.nodeStatuses().values().forEach(st -> rejecting.add(st.plugin()));
      failed(pod, next.get().cycle(), message, framework.eventsToRetry(rejecting), now);
    }

    /** PreBind, then the binders until one does not skip; the first failure is the outcome. */
    private CompletionStage<Status> bind(Framework framework, PodInfo pod, String nodeName) {
      return framework.runPreBind(pod, nodeName).thenCompose(preBound -> {
        CompletionStage<Status> chain = CompletableFuture.completedFuture(preBound.isSuccess() ? Status.SKIP : preBound);
        for (Plugin.Bind binder : framework.binders()) {
          chain = chain.thenCompose(s -> s.code() == Status.Code.SKIP ? binder.bind(pod, nodeName)
              : CompletableFuture.completedFuture(s));
        }
        return chain;
      });
    }

    private void onBindDone(BindDone d) {
      bindsInFlight--;
      String key = d.pod().key();
      if (d.status().isSuccess()) {
        queue.done(key);
        reported.remove(key);
        writer.scheduled(d.pod(), d.nodeName());
        notifyKubelet(d.pod(), d.nodeName());
        return;
      }
      ctx.getLog().info("binding {} to {} failed: {}", key, d.nodeName(), d.status().message());
      cache.forget(key);
      profiles.get(d.pod().schedulerName()).runUnreserve(d.pod(), d.nodeName());
      queue.requeueAfterError(key, System.currentTimeMillis());
    }

    /**
     * Tells the kubelet of the node, wherever in the cluster it runs, that the pod is bound there, so it
     * starts the pod without waiting for its watch. Nodes without a kubelet actor get nothing.
     */
    private void notifyKubelet(PodInfo pod, String nodeName) {
      PodBoundNotice notice = new PodBoundNotice(pod.namespace(), pod.name());
      ServiceKey<PodBoundNotice> key = PodBoundNotice.serviceKey(nodeName);
      AskPattern.<Receptionist.Command, Receptionist.Listing>ask(ctx.getSystem().receptionist(),
              replyTo -> Receptionist.find(key, replyTo), KUBELET_LOOKUP, ctx.getSystem().scheduler())
          .thenAccept(listing -> listing.getServiceInstances(key).forEach(kubelet -> kubelet.tell(notice)));
    }

    /** Evicts the victims and nominates the node; the deletions' events bring the pod back. */
    private void preempt(PodInfo pod, Plugin.PostFilterResult post) {
      ctx.getLog().info("preempting {} pod(s) on {} for {}", post.victims().size(), post.nominatedNode(), pod.key());
      writer.nominate(pod, post.nominatedNode());
      post.victims().forEach(writer::evict);
    }

    private void failed(PodInfo pod, long cycle, String message, Set<ClusterEvent> wakeOn, long now) {
      queue.requeueUnschedulable(pod.key(), cycle, now, wakeOn);
      if (!message.equals(reported.put(pod.key(), message))) {
        ctx.getLog().debug("{} is unschedulable: {}", pod.key(), message);
        writer.unschedulable(pod, message);
      }
    }
  }
}
