package io.pekkube.node.runtime;

import io.pekkube.node.images.ImageCatalogue;
import io.pekkube.node.images.ImageReference;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A runtime where nothing runs, for simulated nodes at scale (as kwok does for Kubernetes): a
 * container is running {@code startDelay} after its start and until it is stopped, exec probes
 * succeed, and every well-formed image is present. A container costs one small object and one timer
 * entry; all simulated nodes of a JVM can share one instance and its single timer thread.
 */
public final class SimulatedRuntime implements ContainerRuntime, AutoCloseable {
  /** A simulated container that receives SIGTERM exits as a process killed by it would. */
  static final int TERMINATED_EXIT_CODE = 128 + 15;

  private final Duration startDelay;
  private final ImageCatalogue images;
  private final Clock clock;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread t = new Thread(runnable, "simulated-runtime");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, SimulatedContainer> containers = new ConcurrentHashMap<>();
  private final AtomicLong starts = new AtomicLong();

  public SimulatedRuntime(Duration startDelay) {
    this(startDelay, ImageCatalogue.builtIn(), Clock.systemUTC());
  }

  public SimulatedRuntime(RuntimeSettings settings) {
    this(settings.simulatedStartDelay());
  }

  SimulatedRuntime(Duration startDelay, ImageCatalogue images, Clock clock) {
    this.startDelay = startDelay;
    this.images = images;
    this.clock = clock;
  }

  @Override
  public CompletionStage<ImageCheck> pullImage(String image) {
    ImageCheck check = images.pull(image);
    if (check.present() || !check.reason().equals(ImageCatalogue.ERR_IMAGE_PULL)) {
      return CompletableFuture.completedFuture(check);
    }
    // No registry is simulated: any well-formed image "pulls", with an empty config when unknown.
    String full = ImageReference.parse(image).map(ImageReference::toString).orElse(image);
    return CompletableFuture.completedFuture(new ImageCheck(full, true, "", "", new ImageConfig(List.of(), List.of(), "", "")));
  }

  @Override
  public CompletionStage<RunningContainer> start(ContainerSpec spec) {
    CompletableFuture<RunningContainer> started = new CompletableFuture<>();
    Runnable run = () -> {
      SimulatedContainer c = new SimulatedContainer(UUID.randomUUID().toString().replace("-", ""), spec, clock.instant(),
          spec.logDirectory().resolve(starts.getAndIncrement() + ".log"));
      containers.put(c.id, c);
      c.exited.whenComplete((exit, error) -> containers.remove(c.id));
      started.complete(c);
    };
    if (startDelay.isZero() || startDelay.isNegative()) {
      run.run();
    } else {
      timer.schedule(run, startDelay.toMillis(), TimeUnit.MILLISECONDS);
    }
    return started;
  }

  @Override
  public CompletionStage<ExecResult> exec(String containerId, List<String> command, Duration timeout) {
    if (!containers.containsKey(containerId)) {
      return CompletableFuture.failedFuture(new NoSuchElementException("container \"" + containerId + "\" is not running"));
    }
    return CompletableFuture.completedFuture(new ExecResult(0, "", "", false));
  }

  /** Nothing runs, so there are no streams to attach to. */
  @Override
  public CompletionStage<AttachedStreams> execAttached(String containerId, List<String> command, boolean tty) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        "the simulated runtime runs no processes, so it cannot run a command with its streams"));
  }

  @Override
  public CompletionStage<AttachedStreams> attach(String containerId, boolean tty, boolean stdin) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        "the simulated runtime runs no processes, so there are no streams to attach to"));
  }

  @Override
  public List<RunningContainer> running() {
    return new ArrayList<>(containers.values());
  }

  @Override
  public Enforcement enforcement() {
    return new Enforcement(false, false, "simulated runtime: nothing runs, so nothing is enforced");
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private final class SimulatedContainer implements RunningContainer {
    private final String id;
    private final ContainerSpec spec;
    private final Instant startedAt;
    private final Path logFile;
    private final CompletableFuture<Exit> exited = new CompletableFuture<>();

    SimulatedContainer(String id, ContainerSpec spec, Instant startedAt, Path logFile) {
      this.id = id;
      this.spec = spec;
      this.startedAt = startedAt;
      this.logFile = logFile;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public ContainerSpec spec() {
      return spec;
    }

    @Override
    public Instant startedAt() {
      return startedAt;
    }

    @Override
    public long pid() {
      return 0;
    }

    @Override
    public CompletionStage<Exit> exited() {
      return exited;
    }

    @Override
    public CompletionStage<Exit> stop(Duration grace) {
      exited.complete(new Exit(TERMINATED_EXIT_CODE, "Error", "", startedAt, clock.instant()));
      return exited;
    }

    /** Never written: a simulated container prints nothing. */
    @Override
    public Path logFile() {
      return logFile;
    }
  }
}
