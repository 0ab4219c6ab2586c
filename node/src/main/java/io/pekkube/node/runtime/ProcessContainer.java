package io.pekkube.node.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * One container of the process runtime: its process group, log pumps, cgroups and state directory.
 * When the main process exits, the rest of its group is killed (a container ends with its main
 * process), the log is drained and closed, the cgroups and the state directory are removed, and only
 * then {@link #exited()} completes.
 */
final class ProcessContainer implements RunningContainer {
  /** How long the log pumps may take to drain after the group is gone. */
  private static final Duration DRAIN = Duration.ofSeconds(2);

  private final ContainerStateFile state;
  private final Path stateDir;
  private final CriLogWriter log;
  private final LogPump stdout;
  private final LogPump stderr;
  private final ScheduledExecutorService timers;
  private final Clock clock;
  private final CompletableFuture<Exit> exited = new CompletableFuture<>();
  private final Optional<ContainerStdin> stdin;

  ProcessContainer(ContainerStateFile state, Path stateDir, Output output, Optional<ContainerStdin> stdin,
      ScheduledExecutorService timers, Clock clock) {
    this.state = state;
    this.stdin = stdin;
    this.stateDir = stateDir;
    this.log = output.log();
    this.stdout = output.stdout();
    this.stderr = output.stderr();
    this.timers = timers;
    this.clock = clock;
  }

  /** The container's log and the pumps that fill it, attached before the process starts (or is adopted). */
  record Output(CriLogWriter log, LogPump stdout, LogPump stderr) {
    static Output attach(String id, Path stateDir, CriLogWriter log) throws IOException {
      LogPump out = LogPump.start(stateDir.resolve(LaunchCommand.STDOUT_FIFO), CriLogWriter.Source.STDOUT, log, "log-" + id + "-out");
      try {
        return new Output(log, out,
            LogPump.start(stateDir.resolve(LaunchCommand.STDERR_FIFO), CriLogWriter.Source.STDERR, log, "log-" + id + "-err"));
      } catch (IOException e) {
        out.detach();
        throw e;
      }
    }

    void detach() {
      stdout.detach();
      stderr.detach();
      log.close();
    }
  }

  /**
   * Watches the main process; {@code exitCode} completes with its code, or empty for a process
   * adopted from an earlier runtime (not our child, so its code cannot be read).
   */
  void watch(CompletableFuture<OptionalInt> exitCode, Executor blocking) {
    exitCode.thenAcceptAsync(this::finish, blocking);
  }

  ContainerStateFile state() {
    return state;
  }

  @Override
  public String id() {
    return state.id();
  }

  @Override
  public ContainerSpec spec() {
    return state.spec();
  }

  @Override
  public Instant startedAt() {
    return state.startedAt();
  }

  @Override
  public long pid() {
    return state.pid();
  }

  @Override
  public CompletionStage<Exit> exited() {
    return exited;
  }

  @Override
  public Path logFile() {
    return state.logFile();
  }

  /**
   * A client attaches ({@code kubectl attach}): the output from now on and, when the container reads
   * input and the client sends some, a writer to it.
   */
  AttachedStreams attach(boolean tty, boolean withStdin) throws IOException {
    Optional<java.io.OutputStream> input = withStdin && stdin.isPresent() ? stdin.get().open() : Optional.empty();
    return new AttachedContainer(stdout, stderr, tty, input, state.spec().streams().stdinOnce(), exited,
        state.spec().streams().tty() ? this::resizeTerminal : AttachedContainer.Resizer.NONE);
  }

  /**
   * A client's resize, best effort as Kubernetes' (a failed one is only logged there): a terminal that is
   * gone, or not there yet, keeps its size, and the client's next resize tries again.
   */
  private void resizeTerminal(int width, int height) {
    try {
      ContainerTerminal.resize(state.pid(), width, height);
    } catch (IOException e) {
      // See above: nothing to tell the client, whose stream goes on.
    }
  }

  boolean isRunning() {
    return !exited.isDone();
  }

  @Override
  public CompletionStage<Exit> stop(Duration grace) {
    if (exited.isDone()) {
      return exited;
    }
    if (grace.isZero() || grace.isNegative()) {
      ProcessGroups.signal(state.pid(), "KILL");
      return exited;
    }
    terminate();
    var kill = timers.schedule(() -> {
      if (!exited.isDone()) {
        ProcessGroups.signal(state.pid(), "KILL");
      }
    }, grace.toMillis(), TimeUnit.MILLISECONDS);
    exited.whenComplete((exit, error) -> kill.cancel(false));
    return exited;
  }

  /**
   * SIGTERM to the container's command. On a terminal ({@code tty: true}) that is the session below
   * {@code script}, which then exits with the command's status; elsewhere the container's process group.
   */
  private void terminate() {
    if (state.spec().streams().tty()) {
      List<Long> terminalGroups = ProcessHandle.of(state.pid()).stream().flatMap(ProcessHandle::children)
          .map(child -> ProcessGroups.processGroup(child.pid()).orElse(-1)).filter(g -> g > 1 && g != state.pid())
          .distinct().toList();
      if (!terminalGroups.isEmpty()) {
        terminalGroups.forEach(group -> ProcessGroups.signal(group, "TERM"));
        return;
      }
    }
    ProcessGroups.signal(state.pid(), "TERM");
  }

  /** Stops reading the container's output without touching it: the runtime closes, the container runs on. */
  void detach() {
    stdout.detach();
    stderr.detach();
    log.close();
  }

  private void finish(OptionalInt exitCode) {
    boolean oom = false;
    String launchLog = "";
    try {
      // Whatever the main process left in its group dies with it, as in a container.
      ProcessGroups.signal(state.pid(), "KILL");
      stdin.ifPresent(ContainerStdin::close);
      stdout.releaseWriter();
      stderr.releaseWriter();
      drain(stdout);
      drain(stderr);
      log.close();
      oom = Cgroups.oomKilled(state.cgroups());
      launchLog = ProcessRuntime.launchLog(stateDir);
      removeCgroups();
      ProcessRuntime.deleteTree(stateDir);
    } finally {
      // A clean-up step that failed must not hide the exit: whoever waits for it would wait forever.
      exited.complete(exitOf(exitCode, oom, launchLog));
    }
  }

  private Exit exitOf(OptionalInt exitCode, boolean oom, String launchLog) {
    Instant finished = clock.instant();
    Exit exit;
    if (exitCode.isEmpty()) {
      exit = new Exit(137, "ContainerStatusUnknown",
          "The container was started by an earlier runtime instance and its shim is gone; its exit code could not be read",
          state.startedAt(), finished);
    } else if (exitCode.getAsInt() == LaunchCommand.PROLOGUE_FAILED && !launchLog.isBlank()) {
      exit = new Exit(LaunchCommand.PROLOGUE_FAILED, "StartError",
          "failed to start container process: " + launchLog.strip(), state.startedAt(), finished);
    } else if (oom) {
      exit = new Exit(137, "OOMKilled", "", state.startedAt(), finished);
    } else {
      int code = exitCode.getAsInt();
      exit = new Exit(code, code == 0 ? "Completed" : "Error", "", state.startedAt(), finished);
    }
    return exit;
  }

  private static void drain(LogPump pump) {
    try {
      pump.done().get(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // A process that left the group (setsid) still holds the output open.
      pump.detach();
    } catch (Exception e) {
      pump.detach();
    }
  }

  private void removeCgroups() {
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (state.cgroups().stream().anyMatch(Files::exists) && System.nanoTime() < deadline) {
      Cgroups.remove(state.cgroups());
      if (state.cgroups().stream().anyMatch(Files::exists)) {
        // The killed stragglers are still leaving the cgroup.
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
    }
  }


}
