package io.pekkube.node.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.node.probes.ProbeSpec;
import io.pekkube.node.probes.ProbeState;
import io.pekkube.node.probes.Prober;
import io.pekkube.node.runtime.ContainerCommand;
import io.pekkube.node.runtime.ContainerRuntime;
import io.pekkube.node.runtime.ContainerSpec;
import io.pekkube.node.runtime.RunningContainer;
import io.pekkube.node.volumes.PodVolumes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Runs one pod bound to this node, level-triggered like the kubelet's pod worker: every event (a pod
 * change, a container exit, a probe result, a back-off expiring) leads to one {@link #sync}, which
 * compares the pod's spec with what runs and starts what should run — init containers one after
 * another, then the app containers, restarted per restartPolicy with CrashLoopBackOff — and writes the
 * pod's status through the gateway when it changed. A pod being deleted is stopped (preStop, SIGTERM,
 * SIGKILL after the grace period) and then deleted for good.
 */
public final class PodWorker extends AbstractBehavior<PodWorker.Command> {

  public sealed interface Command extends NoSerializationVerificationNeeded {}

  /** The pod as the API has it now. */
  public record PodChanged(ObjectNode pod) implements Command {}

  /** The pod is gone from the API: stop its containers and end. */
  public record PodRemoved() implements Command {}

  private record Sync() implements Command {}

  private record Pulled(String name, long attempt, ContainerRuntime.ImageCheck check, Throwable failure)
      implements Command {}

  private record Resolved(String name, long attempt, ContainerSpec spec, String error) implements Command {}

  private record Started(String name, long attempt, RunningContainer container, Throwable failure)
      implements Command {}

  private record Exited(String name, String containerId, RunningContainer.Exit exit) implements Command {}

  private record ProbeTick(String name, String containerId, ProbeSpec.Kind kind) implements Command {}

  private record ProbeDone(String name, String containerId, ProbeSpec.Kind kind, Prober.Outcome outcome)
      implements Command {}

  private record StatusWritten(ObjectNode status, ResourceEntity.WriteResult result, Throwable failure)
      implements Command {}

  private record Finished(Throwable failure) implements Command {}

  /** The pod's volumes after a set-up ({@code refresh}: a periodic rewrite of volumes already set up). */
  private record VolumesSetUp(Map<String, Path> ready, List<PodVolumes.Failed> failed, boolean refresh)
      implements Command {}

  private record RefreshVolumes() implements Command {}

  static final String RUN_AS_ROOT = "container has runAsNonRoot and image will run as root";
  /** Retries of a failed volume set-up, as the volume manager's exponential back-off (500 ms doubling to 2m2s). */
  private static final Duration MOUNT_RETRY_INITIAL = Duration.ofMillis(500);
  private static final Duration MOUNT_RETRY_MAX = Duration.ofSeconds(122);

  private final PodEnvironment env;
  private final TimerScheduler<Command> timers;
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final Instant startTime;
  /** The pod as last seen: its fields and its JSON, not its parsed tree (see {@link KeptPod}). */
  private KeptPod pod;
  /**
   * The status last written (or read from the API at start) as JSON: the base of the next computation,
   * parsed for it, and what a new status is compared with. Its phase is kept apart for every sync.
   */
  private String writtenStatus;
  private String writtenPhase;
  private boolean writing;
  private boolean terminating;
  /** Host paths of the pod's volumes by name once all are set up; null until then (no container starts). */
  private Map<String, Path> volumes;
  private boolean settingUpVolumes;
  private Duration mountRetry;
  private Instant mountRetryAt;

  /** Everything known of one container of the pod. */
  private static final class Slot {
    final String name;
    final boolean init;
    /** The container's spec as JSON, parsed when it starts or stops; its image and probes read from it once. */
    final String spec;
    final String image;
    final Map<ProbeSpec.Kind, ProbeSpec> probeSpecs;
    RunningContainer current;
    ContainerView.Termination last;
    ContainerView.Termination beforeLast;
    Path previousLog;
    int restartCount;
    String waitingReason = "ContainerCreating";
    String waitingMessage = "";
    long attempt;
    boolean starting;
    boolean killing;
    RestartBackOff.Entry crashBackOff = RestartBackOff.Entry.NONE;
    RestartBackOff.Entry pullBackOff = RestartBackOff.Entry.NONE;
    /** The run whose crash back-off the BackOff Event reported (one Event per exit, not per sync). */
    ContainerView.Termination backOffReported;
    Instant retryAt;
    String imageId = "";
    final Map<ProbeSpec.Kind, ProbeState> probes = new EnumMap<>(ProbeSpec.Kind.class);

    Slot(String name, boolean init, JsonNode spec) {
      this.name = name;
      this.init = init;
      this.spec = Json.write(spec);
      this.image = spec.path("image").asText("");
      Map<ProbeSpec.Kind, ProbeSpec> probes = new EnumMap<>(ProbeSpec.Kind.class);
      for (ProbeSpec.Kind kind : ProbeSpec.Kind.values()) {
        ProbeSpec.of(spec, kind).ifPresent(p -> probes.put(kind, p));
      }
      this.probeSpecs = probes.isEmpty() ? Map.of() : probes;
    }

    JsonNode container() {
      return Json.parseTrusted(spec);
    }

    Optional<ProbeSpec> probe(ProbeSpec.Kind kind) {
      return Optional.ofNullable(probeSpecs.get(kind));
    }
  }

  /**
   * A worker for the pod its first {@link PodChanged} brings. The pod comes as a message, not as an
   * argument: an actor keeps the behaviour it was spawned with (in its Props) for as long as it lives.
   */
  public static Behavior<Command> create(PodEnvironment env, List<RunningContainer> adopted) {
    List<RunningContainer> toAdopt = List.copyOf(adopted);
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.receive(Command.class)
        .onMessage(PodChanged.class, first -> new PodWorker(ctx, timers, env, KeptPod.of(first.pod()), toAdopt))
        .onMessage(PodRemoved.class, removed -> {
          toAdopt.forEach(running -> running.stop(Duration.ofSeconds(2)));
          return Behaviors.stopped();
        })
        .build()));
  }

  private PodWorker(ActorContext<Command> ctx, TimerScheduler<Command> timers, PodEnvironment env, KeptPod kept,
      List<RunningContainer> adopted) {
    super(ctx);
    this.env = env;
    this.timers = timers;
    this.pod = kept;
    ObjectNode pod = kept.tree();
    JsonNode status = pod.path("status");
    ObjectNode written = status.isObject() ? (ObjectNode) status : Json.object();
    written(written);
    Instant start = env.clock().instant();
    if (status.hasNonNull("startTime")) {
      start = Instant.parse(status.path("startTime").asText());
    }
    this.startTime = start;
    pod.path("spec").path("initContainers").forEach(c -> addSlot(c, true, written));
    pod.path("spec").path("containers").forEach(c -> addSlot(c, false, written));
    for (RunningContainer running : adopted) {
      Slot slot = slots.get(running.spec().containerName());
      if (slot != null && slot.current == null) {
        ctx.getLog().info("adopting container {} of pod {}", running.id(), podKey());
        slot.waitingReason = "";
        started(slot, running);
      } else {
        running.stop(Duration.ofSeconds(2));
      }
    }
    getContext().getSelf().tell(new Sync());
  }

  private void addSlot(JsonNode container, boolean init, JsonNode written) {
    Slot slot = new Slot(container.path("name").asText(), init, container);
    for (JsonNode s : written.path(init ? "initContainerStatuses" : "containerStatuses")) {
      if (slot.name.equals(s.path("name").asText())) {
        slot.restartCount = s.path("restartCount").asInt(0);
        JsonNode terminated = s.path("state").path("terminated");
        if (terminated.isObject()) {
          // A run that ended before a kubelet restart still counts for phase and restarts.
          slot.last = termination(terminated);
        }
      }
    }
    slots.put(slot.name, slot);
  }

  private static ContainerView.Termination termination(JsonNode t) {
    return new ContainerView.Termination(t.path("exitCode").asInt(), t.path("reason").asText(""),
        t.path("message").asText(""), instant(t.path("startedAt")), instant(t.path("finishedAt")),
        t.path("containerID").asText(""));
  }

  private static Instant instant(JsonNode text) {
    return text.isTextual() ? Instant.parse(text.asText()) : Instant.EPOCH;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(PodChanged.class, this::onPodChanged)
        .onMessage(PodRemoved.class, r -> terminate(false))
        .onMessage(Sync.class, s -> sync())
        .onMessage(Pulled.class, this::onPulled)
        .onMessage(Resolved.class, this::onResolved)
        .onMessage(Started.class, this::onStarted)
        .onMessage(Exited.class, this::onExited)
        .onMessage(ProbeTick.class, this::onProbeTick)
        .onMessage(ProbeDone.class, this::onProbeDone)
        .onMessage(StatusWritten.class, this::onStatusWritten)
        .onMessage(VolumesSetUp.class, this::onVolumesSetUp)
        .onMessage(RefreshVolumes.class, r -> {
          setUpVolumes(true);
          return this;
        })
        .onMessage(Finished.class, f -> {
          if (f.failure() != null) {
            getContext().getLog().info("deleting pod {} failed: {}", podKey(), f.failure().toString());
          }
          return Behaviors.stopped();
        })
        .build();
  }

  // ---- the sync loop ----

  private Behavior<Command> onPodChanged(PodChanged changed) {
    pod = KeptPod.of(changed.pod());
    return terminating ? shortenGrace() : sync();
  }

  private Behavior<Command> sync() {
    if (terminating) {
      return this;
    }
    if (pod.deleting()) {
      return terminate(true);
    }
    String phase = writtenPhase;
    if (!phase.equals("Succeeded") && !phase.equals("Failed") && volumes == null) {
      // As the kubelet's syncPod: no container starts before every volume is mounted.
      setUpVolumes(false);
    } else if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
      String policy = restartPolicy();
      boolean initialized = true;
      for (Slot slot : slots.values()) {
        if (!slot.init) {
          continue;
        }
        if (slot.last != null && slot.last.exitCode() == 0 && slot.current == null) {
          continue;
        }
        initialized = false;
        if (slot.current == null && !slot.starting) {
          if (slot.last == null) {
            startOrWait(slot);
          } else if (!policy.equals("Never")) {
            restartOrWait(slot);
          }
        }
        break;
      }
      if (initialized) {
        for (Slot slot : slots.values()) {
          if (slot.init || slot.current != null || slot.starting) {
            continue;
          }
          if (slot.last == null) {
            startOrWait(slot);
          } else if (wantsRestart(policy, slot.last.exitCode())) {
            restartOrWait(slot);
          }
        }
      }
    }
    writeStatus();
    return this;
  }

  private String restartPolicy() {
    return pod.restartPolicy();
  }

  static boolean wantsRestart(String policy, int exitCode) {
    return policy.equals("Always") || (policy.equals("OnFailure") && exitCode != 0);
  }

  /** A container that never ran: start it, unless an image pull or config error is still backing off. */
  private void startOrWait(Slot slot) {
    Instant now = env.clock().instant();
    if (slot.retryAt != null && now.isBefore(slot.retryAt)) {
      if (slot.waitingReason.equals("ErrImagePull")) {
        slot.waitingReason = "ImagePullBackOff";
        slot.waitingMessage = "Back-off pulling image \"" + slot.image + "\"";
        event(slot, NORMAL, "BackOff", slot.waitingMessage);
        event(slot, WARNING, "Failed", "Error: ImagePullBackOff");
      }
      timers.startSingleTimer("retry-" + slot.name, new Sync(), Duration.between(now, slot.retryAt));
      return;
    }
    beginStart(slot);
  }

  private void restartOrWait(Slot slot) {
    Instant now = env.clock().instant();
    RestartBackOff.Decision decision = env.crashBackOff().decide(slot.crashBackOff, slot.last.startedAt(),
        slot.last.finishedAt(), now);
    if (decision instanceof RestartBackOff.Wait wait) {
      slot.waitingReason = "CrashLoopBackOff";
      slot.waitingMessage = RestartBackOff.message(wait.delay(), slot.name, podName(), namespace(), uid());
      if (slot.backOffReported != slot.last) {
        slot.backOffReported = slot.last;
        event(slot, WARNING, "BackOff", "Back-off restarting failed container " + slot.name + " in pod "
            + podName() + "_" + namespace() + "(" + uid() + ")");
      }
      timers.startSingleTimer("retry-" + slot.name, new Sync(), Duration.between(now, wait.until()));
    } else if (decision instanceof RestartBackOff.Restart restart) {
      slot.crashBackOff = restart.entry();
      beginStart(slot);
    }
  }

  private void beginStart(Slot slot) {
    slot.starting = true;
    long attempt = ++slot.attempt;
    String image = slot.image;
    getContext().pipeToSelf(env.runtime().pullImage(image), (check, failure) ->
        new Pulled(slot.name, attempt, check, failure));
  }

  private Behavior<Command> onPulled(Pulled pulled) {
    Slot slot = slots.get(pulled.name());
    if (slot == null || slot.attempt != pulled.attempt()) {
      return this;
    }
    if (terminating) {
      slot.starting = false;
      return finishIfStopped();
    }
    if (pulled.failure() != null || !pulled.check().present()) {
      slot.starting = false;
      String reason = pulled.failure() != null ? "ErrImagePull" : pulled.check().reason();
      slot.waitingReason = reason.isEmpty() ? "ErrImagePull" : reason;
      slot.waitingMessage = pulled.failure() != null ? pulled.failure().getMessage() : pulled.check().message();
      String image = slot.image;
      if (slot.waitingReason.equals("InvalidImageName")) {
        event(slot, WARNING, "InspectFailed", slot.waitingMessage);
      } else {
        event(slot, WARNING, "Failed", "Failed to pull image \"" + image + "\": " + slot.waitingMessage);
      }
      event(slot, WARNING, "Failed", "Error: " + slot.waitingReason);
      retryLater(slot, true);
      // Shows ImagePullBackOff once the pull error has been reported, as the kubelet does.
      timers.startSingleTimer("show-" + slot.name, new Sync(), Duration.ofSeconds(1));
      writeStatus();
      return this;
    }
    slot.pullBackOff = RestartBackOff.Entry.NONE;
    slot.imageId = pulled.check().image();
    // There is no registry: every known image is on the machine, as with imagePullPolicy IfNotPresent.
    event(slot, NORMAL, "Pulled", "Container image \"" + slot.image
        + "\" already present on machine");
    ContainerRuntime.ImageConfig image = pulled.check().config();
    long attempt = pulled.attempt();
    getContext().pipeToSelf(containerSpec(slot, image), (spec, failure) -> failure != null
        ? new Resolved(slot.name, attempt, null, rootMessage(failure))
        : spec.error() != null ? new Resolved(slot.name, attempt, null, spec.error())
        : new Resolved(slot.name, attempt, spec.spec(), null));
    return this;
  }

  private Behavior<Command> onResolved(Resolved resolved) {
    Slot slot = slots.get(resolved.name());
    if (slot == null || slot.attempt != resolved.attempt()) {
      return this;
    }
    if (terminating) {
      slot.starting = false;
      return finishIfStopped();
    }
    if (resolved.error() != null) {
      slot.starting = false;
      slot.waitingReason = "CreateContainerConfigError";
      slot.waitingMessage = resolved.error();
      event(slot, WARNING, "Failed", "Error: " + resolved.error());
      retryLater(slot, false);
      writeStatus();
      return this;
    }
    long attempt = resolved.attempt();
    getContext().pipeToSelf(env.runtime().start(resolved.spec()), (running, failure) ->
        new Started(slot.name, attempt, running, failure));
    return this;
  }

  private void retryLater(Slot slot, boolean pull) {
    Instant now = env.clock().instant();
    RestartBackOff policy = pull ? env.pullBackOff() : env.crashBackOff();
    RestartBackOff.Entry entry = pull ? slot.pullBackOff : slot.crashBackOff;
    Duration delay = entry.delay() == null ? policy.initial()
        : entry.delay().multipliedBy(2).compareTo(policy.max()) > 0 ? policy.max() : entry.delay().multipliedBy(2);
    if (pull) {
      slot.pullBackOff = new RestartBackOff.Entry(delay);
    } else {
      slot.crashBackOff = new RestartBackOff.Entry(delay);
    }
    slot.retryAt = now.plus(delay);
    timers.startSingleTimer("retry-" + slot.name, new Sync(), delay);
  }

  private Behavior<Command> onStarted(Started started) {
    Slot slot = slots.get(started.name());
    if (slot == null || slot.attempt != started.attempt()) {
      if (started.container() != null) {
        started.container().stop(Duration.ZERO);
      }
      return this;
    }
    slot.starting = false;
    if (started.failure() != null) {
      Throwable cause = unwrap(started.failure());
      slot.waitingReason = cause instanceof ContainerRuntime.StartFailure f ? f.reason() : "RunContainerError";
      slot.waitingMessage = rootMessage(cause);
      if (terminating) {
        return finishIfStopped();
      }
      event(slot, WARNING, "Failed", "Error: " + slot.waitingMessage);
      retryLater(slot, false);
      writeStatus();
      return this;
    }
    if (slot.last != null) {
      slot.restartCount++;
    }
    slot.retryAt = null;
    event(slot, NORMAL, "Created", "Created container " + slot.name);
    event(slot, NORMAL, "Started", "Started container " + slot.name);
    started(slot, started.container());
    if (terminating) {
      stopContainer(slot, Duration.ZERO);
      return this;
    }
    writeStatus();
    return this;
  }

  private void started(Slot slot, RunningContainer running) {
    slot.current = running;
    slot.killing = false;
    slot.probes.clear();
    for (ProbeSpec.Kind kind : ProbeSpec.Kind.values()) {
      Optional<ProbeSpec> probe = slot.init ? Optional.empty() : slot.probe(kind);
      probe.ifPresent(p -> {
        slot.probes.put(kind, ProbeState.initial(kind));
        timers.startSingleTimer(probeKey(slot, kind), new ProbeTick(slot.name, running.id(), kind), p.initialDelay());
      });
    }
    String id = running.id();
    getContext().pipeToSelf(running.exited(), (exit, failure) -> new Exited(slot.name, id, exit != null ? exit
        : new RunningContainer.Exit(-1, "Error", String.valueOf(failure), running.startedAt(), env.clock().instant())));
    publish();
  }

  private Behavior<Command> onExited(Exited exited) {
    Slot slot = slots.get(exited.name());
    if (slot == null || slot.current == null || !slot.current.id().equals(exited.containerId())) {
      return this;
    }
    slot.beforeLast = slot.last;
    slot.last = ContainerView.Termination.of(exited.exit(), containerId(exited.containerId()));
    slot.previousLog = slot.current.logFile();
    slot.current = null;
    slot.killing = false;
    for (ProbeSpec.Kind kind : ProbeSpec.Kind.values()) {
      timers.cancel(probeKey(slot, kind));
    }
    publish();
    if (terminating) {
      return finishIfStopped();
    }
    return sync();
  }

  // ---- volumes ----

  /**
   * Reads the ConfigMaps and Secrets the volumes use and writes the volumes (off the actor, on the
   * blocking dispatcher). A refresh rewrites only the volumes the API feeds; the writer leaves
   * unchanged content alone and swaps changed content in atomically.
   */
  private void setUpVolumes(boolean refresh) {
    if (settingUpVolumes || terminating) {
      return;
    }
    if (!refresh && mountRetryAt != null && env.clock().instant().isBefore(mountRetryAt)) {
      return; // the retry timer is set
    }
    settingUpVolumes = true;
    ObjectNode spec = pod.tree();
    Executor blocking = getContext().getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    CompletableFuture<Claimed> claimed = refresh ? CompletableFuture.completedFuture(Claimed.NONE)
        : fetchClaims(VolumeMounts.claimNames(spec));
    CompletableFuture<VolumesSetUp> done = fetch(VolumeMounts.configMapNames(spec), VolumeMounts.secretNames(spec))
        .thenCombine(claimed, (objects, claims) -> VolumeMounts.sources(objects.configMaps(), objects.secrets(),
            claims.claims(), claims.volumes(), env.node()))
        .thenApplyAsync(sources -> {
          Map<String, Path> ready = new LinkedHashMap<>();
          List<PodVolumes.Failed> failed = new ArrayList<>();
          for (JsonNode volume : spec.path("spec").path("volumes")) {
            if (refresh && !VolumeMounts.isApiBacked(volume)) {
              continue;
            }
            PodVolumes.Result result = env.volumes().materialize(spec, volume, sources);
            if (result instanceof PodVolumes.Ready r) {
              ready.put(r.volume(), r.hostPath());
            } else if (result instanceof PodVolumes.Failed f) {
              failed.add(f);
            }
          }
          return new VolumesSetUp(ready, failed, refresh);
        }, blocking);
    getContext().pipeToSelf(done, (result, failure) -> result != null ? result
        : new VolumesSetUp(Map.of(), List.of(new PodVolumes.Failed("", rootMessage(failure))), refresh));
  }

  private Behavior<Command> onVolumesSetUp(VolumesSetUp setUp) {
    settingUpVolumes = false;
    if (terminating) {
      return finishIfStopped();
    }
    for (PodVolumes.Failed failed : setUp.failed()) {
      getContext().getLog().info("pod {}: {}", podKey(), failed.message());
      env.events().record(pod.involved(), WARNING, PodVolumes.FAILED_MOUNT, "", failed.message());
    }
    if (setUp.refresh()) {
      timers.startSingleTimer("volume-refresh", new RefreshVolumes(), env.syncFrequency());
      return this;
    }
    if (!setUp.failed().isEmpty()) {
      mountRetry = mountRetry == null ? MOUNT_RETRY_INITIAL
          : mountRetry.multipliedBy(2).compareTo(MOUNT_RETRY_MAX) > 0 ? MOUNT_RETRY_MAX : mountRetry.multipliedBy(2);
      mountRetryAt = env.clock().instant().plus(mountRetry);
      timers.startSingleTimer("volume-retry", new Sync(), mountRetry);
      writeStatus();
      return this;
    }
    volumes = Map.copyOf(setUp.ready());
    mountRetry = null;
    mountRetryAt = null;
    if (pod.apiBackedVolumes()) {
      timers.startSingleTimer("volume-refresh", new RefreshVolumes(), env.syncFrequency());
    }
    return sync();
  }

  /** Removes the pod's directories (its volumes, not its claims' data), off the actor. */
  private void removeVolumes() {
    String podUid = uid();
    Executor blocking = getContext().getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    org.slf4j.Logger log = getContext().getLog();
    CompletableFuture.runAsync(() -> {
      try {
        env.volumes().cleanup(podUid);
      } catch (IOException | RuntimeException e) {
        log.info("removing the volumes of pod {} failed: {}", podUid, e.toString());
      }
    }, blocking);
  }

  // ---- probes ----

  private static String probeKey(Slot slot, ProbeSpec.Kind kind) {
    return "probe-" + slot.name + "-" + kind;
  }

  private Behavior<Command> onProbeTick(ProbeTick tick) {
    Slot slot = slots.get(tick.name());
    if (terminating || slot == null || slot.current == null || !slot.current.id().equals(tick.containerId())) {
      return this;
    }
    ProbeSpec spec = slot.probe(tick.kind()).orElse(null);
    if (spec == null) {
      return this;
    }
    boolean startupPending = slot.probes.containsKey(ProbeSpec.Kind.STARTUP)
        && !slot.probes.get(ProbeSpec.Kind.STARTUP).success();
    if (tick.kind() != ProbeSpec.Kind.STARTUP && startupPending) {
      timers.startSingleTimer(probeKey(slot, tick.kind()), tick, spec.period());
      return this;
    }
    String id = tick.containerId();
    getContext().pipeToSelf(env.prober().run(spec, id, env.node().podIp()), (outcome, failure) ->
        new ProbeDone(slot.name, id, tick.kind(), outcome != null ? outcome : new Prober.Outcome(false,
            String.valueOf(failure))));
    return this;
  }

  private Behavior<Command> onProbeDone(ProbeDone done) {
    Slot slot = slots.get(done.name());
    if (terminating || slot == null || slot.current == null || !slot.current.id().equals(done.containerId())) {
      return this;
    }
    ProbeSpec spec = slot.probe(done.kind()).orElse(null);
    if (spec == null) {
      return this;
    }
    ProbeState state = slot.probes.getOrDefault(done.kind(), ProbeState.initial(done.kind()))
        .observe(done.outcome().success(), spec);
    slot.probes.put(done.kind(), state);
    if (!done.outcome().success()) {
      event(slot, WARNING, "Unhealthy", probeName(done.kind()) + " probe failed: " + done.outcome().message());
    }
    boolean failed = switch (done.kind()) {
      case LIVENESS -> !state.success();
      case STARTUP -> !state.success() && state.failures() >= spec.failureThreshold();
      default -> false;
    };
    if (failed && !slot.killing) {
      getContext().getLog().info("container {} of pod {} failed its {} probe ({}); restarting it", slot.name,
          podKey(), done.kind().field, done.outcome().message());
      slot.killing = true;
      event(slot, NORMAL, "Killing", "Container " + slot.name + " failed " + probeName(done.kind()).toLowerCase()
          + " probe, will be restarted");
      stopContainer(slot, gracePeriod());
    } else if (!(done.kind() == ProbeSpec.Kind.STARTUP && state.success())) {
      timers.startSingleTimer(probeKey(slot, done.kind()), new ProbeTick(slot.name, done.containerId(), done.kind()),
          spec.period());
    }
    writeStatus();
    return this;
  }

  // ---- termination ----

  private Behavior<Command> terminate(boolean deleteAfter) {
    if (terminating) {
      return this;
    }
    terminating = true;
    deleteWhenStopped = deleteAfter;
    timers.cancelAll();
    Duration grace = gracePeriod();
    terminationGrace = grace;
    for (Slot slot : slots.values()) {
      if (slot.current != null) {
        event(slot, NORMAL, "Killing", "Stopping container " + slot.name);
        preStopThenStop(slot, grace);
      }
    }
    return finishIfStopped();
  }

  private boolean deleteWhenStopped;
  private boolean finishing;
  private Duration terminationGrace;

  /** A second DELETE may shorten the grace period (never lengthen it): running containers get the shorter one. */
  private Behavior<Command> shortenGrace() {
    Duration grace = gracePeriod();
    if (grace.compareTo(terminationGrace) < 0) {
      terminationGrace = grace;
      slots.values().stream().filter(slot -> slot.current != null).forEach(slot -> stopContainer(slot, grace));
    }
    return this;
  }

  private Duration gracePeriod() {
    return pod.gracePeriod();
  }

  private void preStopThenStop(Slot slot, Duration grace) {
    RunningContainer running = slot.current;
    JsonNode preStop = slot.container().path("lifecycle").path("preStop").path("exec").path("command");
    CompletionStage<?> hook = CompletableFuture.completedFuture(null);
    Instant begun = env.clock().instant();
    if (preStop.isArray() && !preStop.isEmpty()) {
      List<String> command = new ArrayList<>();
      preStop.forEach(c -> command.add(c.asText()));
      hook = env.runtime().exec(running.id(), command, grace).exceptionally(e -> null);
    }
    hook.thenCompose(ignored -> {
      Duration left = grace.minus(Duration.between(begun, env.clock().instant()));
      return running.stop(left.isNegative() ? Duration.ZERO : left);
    });
  }

  private void stopContainer(Slot slot, Duration grace) {
    slot.current.stop(grace);
  }

  private Behavior<Command> finishIfStopped() {
    if (finishing) {
      return this;
    }
    for (Slot slot : slots.values()) {
      if (slot.current != null || slot.starting) {
        return this;
      }
    }
    if (settingUpVolumes) {
      return this; // the set-up's end comes back here
    }
    finishing = true;
    env.localPods().remove(namespace(), podName(), uid());
    removeVolumes();
    if (!deleteWhenStopped) {
      return Behaviors.stopped();
    }
    // Kubernetes' kubelet reports the final status, then deletes the pod for good (grace period 0).
    ObjectNode previous = Json.parseTrusted(writtenStatus);
    ObjectNode status = computeStatus(previous);
    CompletionStage<ResourceEntity.WriteResult> write = previous.equals(status)
        ? CompletableFuture.completedFuture(null) : env.client().update(BuiltinTypes.POD, namespace(),
            statusObject(status), true, false, env.user());
    getContext().pipeToSelf(write.exceptionally(e -> null).thenCompose(ignored -> env.client().delete(
        BuiltinTypes.POD, namespace(), podName(), ApiClient.Preconditions.uid(uid()), "", 0L, false, env.user())),
        (r, failure) -> new Finished(failure));
    return this;
  }

  // ---- status ----

  /** The status now, from {@code previous}: the status last written, parsed (not changed here). */
  private ObjectNode computeStatus(JsonNode previous) {
    List<ContainerView> init = new ArrayList<>();
    List<ContainerView> main = new ArrayList<>();
    String policy = restartPolicy();
    for (Slot slot : slots.values()) {
      (slot.init ? init : main).add(view(slot, policy));
    }
    return PodStatuses.compute(new PodStatuses.Basis(previous, policy, pod.qosClass()), init, main,
        new PodStatuses.Placement(env.node().hostIp(), env.node().podIp(), startTime), volumes != null,
        env.clock().instant(), finishing && deleteWhenStopped);
  }

  private ContainerView view(Slot slot, String policy) {
    String image = slot.image;
    if (slot.current != null) {
      ProbeState readiness = slot.probes.get(ProbeSpec.Kind.READINESS);
      ProbeState startup = slot.probes.get(ProbeSpec.Kind.STARTUP);
      boolean started = startup == null || startup.success();
      boolean ready = !slot.init && started && (readiness == null || readiness.success());
      return new ContainerView(slot.name, slot.init, new ContainerView.Running(slot.current.startedAt()), slot.last,
          slot.restartCount, ready, started, containerId(slot.current.id()), image, slot.imageId);
    }
    if (slot.last != null) {
      boolean restarting = !terminating && (slot.init ? slot.last.exitCode() != 0 && !policy.equals("Never")
          : wantsRestart(policy, slot.last.exitCode()));
      if (restarting && slot.waitingReason.equals("CrashLoopBackOff")) {
        return new ContainerView(slot.name, slot.init, new ContainerView.Waiting(slot.waitingReason, slot.waitingMessage),
            slot.last, slot.restartCount, false, false, slot.last.containerId(), image, slot.imageId);
      }
      return new ContainerView(slot.name, slot.init, new ContainerView.Terminated(slot.last), slot.beforeLast,
          slot.restartCount, false, false, slot.last.containerId(), image, slot.imageId);
    }
    return new ContainerView(slot.name, slot.init, new ContainerView.Waiting(slot.waitingReason, slot.waitingMessage),
        null, slot.restartCount, false, false, "", image, slot.imageId);
  }

  private void writeStatus() {
    if (writing || terminating) {
      return;
    }
    ObjectNode previous = Json.parseTrusted(writtenStatus);
    ObjectNode status = computeStatus(previous);
    if (status.equals(previous)) {
      return;
    }
    writing = true;
    getContext().pipeToSelf(env.client().update(BuiltinTypes.POD, namespace(), statusObject(status), true, false,
        env.user()), (result, failure) -> new StatusWritten(status, result, failure));
  }

  private void written(JsonNode status) {
    writtenStatus = Json.write(status);
    writtenPhase = status.path("phase").asText("");
  }

  private ObjectNode statusObject(ObjectNode status) {
    ObjectNode object = Json.object();
    object.put("apiVersion", "v1");
    object.put("kind", "Pod");
    object.putObject("metadata").put("name", podName()).put("namespace", namespace()).put("uid", uid());
    object.set("status", status);
    return object;
  }

  private Behavior<Command> onStatusWritten(StatusWritten written) {
    writing = false;
    if (written.failure() == null && (written.result() instanceof ResourceEntity.Written
        || written.result() instanceof ResourceEntity.NotChanged)) {
      written(written.status());
    } else if (written.result() instanceof ResourceEntity.Rejected rejected && rejected.error().code() == 404) {
      return terminate(false);
    } else {
      getContext().getLog().info("writing the status of pod {} failed: {}", podKey(),
          written.failure() != null ? written.failure().toString() : written.result());
      timers.startSingleTimer("status-retry", new Sync(), Duration.ofSeconds(1));
      return this;
    }
    writeStatus();
    return this;
  }

  // ---- container specs ----

  private record SpecOrError(ContainerSpec spec, String error) {}

  private CompletionStage<SpecOrError> containerSpec(Slot slot, ContainerRuntime.ImageConfig image) {
    JsonNode container = slot.container();
    ObjectNode pod = this.pod.tree();
    String refusal = securityRefusal(pod, container, image);
    if (refusal != null) {
      return CompletableFuture.completedFuture(new SpecOrError(null, refusal));
    }
    Map<String, Path> podVolumes = volumes == null ? Map.of() : volumes;
    return fetch(EnvResolution.configMapNames(container), EnvResolution.secretNames(container)).thenApply(objects -> {
      EnvResolution.Result env = EnvResolution.resolve(pod, container, new EnvResolution.Sources(
          n -> objects.configMaps().getOrDefault(n, Optional.empty()),
          n -> objects.secrets().getOrDefault(n, Optional.empty())), this.env.node());
      if (env.error() != null) {
        return new SpecOrError(null, env.error());
      }
      Map<String, String> variables = new LinkedHashMap<>(env.env());
      List<String> command = ContainerCommand.resolve(strings(container.path("command")),
          strings(container.path("args")), image == null || image.entrypoint() == null ? List.of() : image.entrypoint(),
          image == null || image.cmd() == null ? List.of() : image.cmd(), variables);
      String workingDir = container.path("workingDir").asText(image == null || image.workingDir() == null
          ? "" : image.workingDir());
      VolumeMounts.Result mounts = VolumeMounts.mounts(pod, container, podVolumes, variables);
      if (mounts.error() != null) {
        return new SpecOrError(null, mounts.error());
      }
      String subPathProblem = createSubPaths(mounts.mounts());
      if (subPathProblem != null) {
        return new SpecOrError(null, subPathProblem);
      }
      Path podDir = this.env.podsDirectory().resolve(uid());
      return new SpecOrError(new ContainerSpec(uid(), namespace(), podName(), slot.name,
          container.path("image").asText(""), command, variables, workingDir, mounts.mounts(),
          security(pod, container), limits(container), podDir.resolve("logs").resolve(slot.name),
          new ContainerSpec.Streams(container.path("stdin").asBoolean(), container.path("stdinOnce").asBoolean(),
              container.path("tty").asBoolean())), null);
    });
  }

  /**
   * Creates a {@code subPath} that does not exist yet in its volume, as the kubelet does, so that it is
   * mounted as a directory; answers the problem, or null.
   */
  private static String createSubPaths(List<ContainerSpec.Mount> mounts) {
    for (ContainerSpec.Mount mount : mounts) {
      if (!Files.exists(mount.hostPath(), LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createDirectories(mount.hostPath());
        } catch (IOException e) {
          return "failed to create subPath directory for volumeMount at " + mount.containerPath() + ": " + e.getMessage();
        }
      }
    }
    return null;
  }

  /** ConfigMaps and Secrets of the pod's namespace by name, absent ones empty. */
  private record Fetched(Map<String, Optional<JsonNode>> configMaps, Map<String, Optional<JsonNode>> secrets) {}

  private CompletableFuture<Fetched> fetch(Set<String> configMapNames, Set<String> secretNames) {
    Fetched fetched = new Fetched(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    List<CompletableFuture<?>> reads = new ArrayList<>();
    for (String name : configMapNames) {
      reads.add(read(BuiltinTypes.CONFIG_MAP, name).thenAccept(o -> fetched.configMaps().put(name, o))
          .toCompletableFuture());
    }
    for (String name : secretNames) {
      reads.add(read(BuiltinTypes.SECRET, name).thenAccept(o -> fetched.secrets().put(name, o)).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> fetched);
  }

  private CompletionStage<Optional<JsonNode>> read(io.pekkube.actors.api.ResourceType type, String name) {
    return read(type, namespace(), name);
  }

  private CompletionStage<Optional<JsonNode>> read(io.pekkube.actors.api.ResourceType type, String namespace,
      String name) {
    return env.client().get(type, namespace, name).thenApply(got -> got.object() == null
        ? Optional.<JsonNode>empty() : Optional.<JsonNode>of(Json.parseTrusted(got.object())));
  }

  /** The pod's claims (by name) and the PersistentVolumes they name (by name). */
  private record Claimed(Map<String, Optional<JsonNode>> claims, Map<String, Optional<JsonNode>> volumes) {
    static final Claimed NONE = new Claimed(Map.of(), Map.of());
  }

  /** Reads each claim, then the volume it names, as the kubelet's volume manager does before mounting. */
  private CompletableFuture<Claimed> fetchClaims(Set<String> claimNames) {
    Claimed fetched = new Claimed(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    List<CompletableFuture<?>> reads = new ArrayList<>();
    for (String name : claimNames) {
      reads.add(read(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, name).thenCompose(claim -> {
        fetched.claims().put(name, claim);
        String volume = claim.map(c -> c.path("spec").path("volumeName").asText("")).orElse("");
        return volume.isEmpty() ? CompletableFuture.completedFuture(null)
            : read(BuiltinTypes.PERSISTENT_VOLUME, "", volume).thenAccept(pv -> fetched.volumes().put(volume, pv));
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> fetched);
  }

  /** The effective securityContext field: the container's, else the pod's. */
  private static JsonNode securityField(JsonNode pod, JsonNode container, String field) {
    JsonNode own = container.path("securityContext").path(field);
    return own.isMissingNode() || own.isNull() ? pod.path("spec").path("securityContext").path(field) : own;
  }

  /** {@code verifyRunAsNonRoot}: the message that keeps the container from starting, or null. */
  static String securityRefusal(JsonNode pod, JsonNode container, ContainerRuntime.ImageConfig image) {
    if (!securityField(pod, container, "runAsNonRoot").asBoolean(false)) {
      return null;
    }
    JsonNode runAsUser = securityField(pod, container, "runAsUser");
    if (runAsUser.isNumber()) {
      return runAsUser.asLong() == 0 ? "container's runAsUser breaks non-root policy (pod: \""
          + pod.path("metadata").path("name").asText() + "_" + pod.path("metadata").path("namespace").asText()
          + "(" + pod.path("metadata").path("uid").asText() + ")\", container: "
          + container.path("name").asText() + ")" : null;
    }
    String user = image == null || image.user() == null ? "" : image.user();
    String uid = user.split(":", 2)[0];
    if (uid.isEmpty() || uid.equals("0") || uid.equals("root")) {
      return RUN_AS_ROOT;
    }
    if (!uid.matches("\\d+")) {
      return "container has runAsNonRoot and image has non-numeric user (" + uid + "), cannot verify user is non-root";
    }
    return null;
  }

  /**
   * {@code resources.limits} cpu and memory, and the cpu request (the limit when no request is given, as
   * the API defaults it), which the runtime enforces where the host lets it.
   */
  static ContainerSpec.Limits limits(JsonNode container) {
    JsonNode limits = container.path("resources").path("limits");
    long cpuLimit = KubeletSettings.quantity(limits.path("cpu").asText(""), 1000);
    String cpuRequest = container.path("resources").path("requests").path("cpu").asText("");
    return new ContainerSpec.Limits(KubeletSettings.quantity(limits.path("memory").asText(""), 1), cpuLimit,
        cpuRequest.isEmpty() ? cpuLimit : KubeletSettings.quantity(cpuRequest, 1000));
  }

  private static ContainerSpec.Security security(JsonNode pod, JsonNode container) {
    JsonNode user = securityField(pod, container, "runAsUser");
    JsonNode group = securityField(pod, container, "runAsGroup");
    return new ContainerSpec.Security(
        user.isNumber() ? java.util.OptionalLong.of(user.asLong()) : java.util.OptionalLong.empty(),
        group.isNumber() ? java.util.OptionalLong.of(group.asLong()) : java.util.OptionalLong.empty(),
        container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(false));
  }

  // ---- events ----

  private static final String NORMAL = "Normal";
  private static final String WARNING = "Warning";

  /** An Event about one container of the pod ({@code involvedObject.fieldPath spec.containers{name}}). */
  private void event(Slot slot, String type, String reason, String message) {
    String field = (slot.init ? "spec.initContainers{" : "spec.containers{") + slot.name + "}";
    env.events().record(pod.involved().field(field), type, reason, "", message);
  }

  private static String probeName(ProbeSpec.Kind kind) {
    return switch (kind) {
      case LIVENESS -> "Liveness";
      case READINESS -> "Readiness";
      case STARTUP -> "Startup";
    };
  }

  // ---- helpers ----

  private void publish() {
    Map<String, LocalPods.Container> containers = new LinkedHashMap<>();
    for (Slot slot : slots.values()) {
      if (slot.current != null) {
        containers.put(slot.name, new LocalPods.Container(slot.name, slot.current.id(), slot.current.logFile(),
            slot.previousLog, true));
      } else if (slot.previousLog != null) {
        containers.put(slot.name, new LocalPods.Container(slot.name, slot.last.containerId(), slot.previousLog,
            null, false));
      }
    }
    env.localPods().publish(namespace(), podName(), new LocalPods.Pod(uid(), env.runtime(), Map.copyOf(containers)));
  }

  private static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(v -> out.add(v.asText("")));
    return out;
  }

  static String containerId(String id) {
    return id.contains("://") ? id : "pekkube://" + id;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof java.util.concurrent.CompletionException
        || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String rootMessage(Throwable t) {
    Throwable e = unwrap(t);
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private String podName() {
    return pod.name();
  }

  private String namespace() {
    return pod.namespace();
  }

  private String uid() {
    return pod.uid();
  }

  private String podKey() {
    return namespace() + "/" + podName();
  }
}
