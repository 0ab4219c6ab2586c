package io.pekkube.node.runtime;

import io.pekkube.node.images.ImageCatalogue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The default runtime: each container's command runs as a real OS process in its own session and
 * process group, with the spec's env and working dir, stdout and stderr in a rotated CRI log file,
 * limits in cgroups, volumes bind-mounted in a private mount namespace and the user switched with
 * setpriv where the host allows it ({@link #enforcement()} says what it allowed).
 *
 * <p>Each container has a state directory {@code <root>/containers/<id>} holding its pid and start
 * time and the two FIFOs its output goes through; the FIFOs outlive the JVM, so a new runtime on the
 * same root adopts the containers still running ({@link #running()}).
 */
public final class ProcessRuntime implements ContainerRuntime, AutoCloseable {
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final RuntimeSettings settings;
  private final HostSupport host;
  private final ImageCatalogue images;
  private final Clock clock = Clock.systemUTC();
  private final Path containersDir;
  private final Map<String, ProcessContainer> containers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("runtime-timer"));
  private final ExecutorService blocking = Executors.newCachedThreadPool(daemon("runtime-io"));

  public ProcessRuntime(RuntimeSettings settings) {
    this(settings, HostSupport.probe(), ImageCatalogue.builtIn());
  }

  ProcessRuntime(RuntimeSettings settings, HostSupport host, ImageCatalogue images) {
    this.settings = settings;
    this.host = host;
    this.images = images;
    this.containersDir = settings.rootDirectory().resolve("containers");
    try {
      Files.createDirectories(containersDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public CompletionStage<ImageCheck> pullImage(String image) {
    return CompletableFuture.completedFuture(images.pull(image));
  }

  @Override
  public Enforcement enforcement() {
    return host.enforcement();
  }

  @Override
  public CompletionStage<RunningContainer> start(ContainerSpec spec) {
    return CompletableFuture.supplyAsync(() -> launch(spec), blocking);
  }

  private RunningContainer launch(ContainerSpec spec) {
    Map<String, String> env = environment(spec);
    String missing = ExecutableLookup.problem(spec.command(), env.get("PATH"), spec.workingDir(), visibleMounts(spec));
    if (missing != null) {
      throw new StartFailure("RunContainerError", "failed to create containerd task: failed to create shim task: "
          + "OCI runtime create failed: runc create failed: unable to start container process: " + missing + ": unknown");
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    Path stateDir = containersDir.resolve(id);
    List<Path> cgroups = List.of();
    ProcessContainer.Output output = null;
    Optional<ContainerStdin> stdin = Optional.empty();
    try {
      Files.createDirectories(stateDir);
      NamedPipes.create(stateDir.resolve(LaunchCommand.STDOUT_FIFO), stateDir.resolve(LaunchCommand.STDERR_FIFO));
      if (spec.streams().stdin() || spec.streams().tty()) {
        NamedPipes.create(stateDir.resolve(LaunchCommand.STDIN_FIFO)); // a terminal without input reads one nobody writes
      }
      if (spec.streams().stdin()) {
        stdin = Optional.of(ContainerStdin.beforeStart(stateDir.resolve(LaunchCommand.STDIN_FIFO),
            spec.streams().stdinOnce()));
      }
      if (host.cgroups().isPresent()) {
        cgroups = host.cgroups().get().create(id, spec.limits());
      }
      boolean mountNamespace = host.mountNamespaces() && (!spec.mounts().isEmpty() || spec.security().readOnlyRootFilesystem());
      List<String> setpriv = LaunchCommand.setpriv(spec.security(), host.runsAsUser());
      List<LaunchCommand.BindMount> mounts = host.mountNamespaces()
          ? spec.mounts().stream().map(m -> new LaunchCommand.BindMount(m.hostPath(), m.containerPath(), m.readOnly(),
              Files.isDirectory(m.hostPath()))).toList()
          : List.of();
      Path logFile = nextLogFile(spec.logDirectory());
      output = ProcessContainer.Output.attach(id, stateDir,
          new CriLogWriter(logFile, settings.containerLogMaxSize(), settings.containerLogMaxFiles(), clock));
      List<String> argv = LaunchCommand.container(new LaunchCommand.Plan(spec.command(), stateDir, cgroups, mounts,
          mountNamespace && spec.security().readOnlyRootFilesystem(), spec.workingDir(), setpriv, spec.streams()));
      var startedAt = clock.instant();
      SessionSpawner.Child shim = startShim(SessionSpawner.AVAILABLE, argv, env, stateDir.resolve(LaunchCommand.LAUNCH_LOG));
      long pid = awaitContainerPid(shim, stateDir);
      if (pid < 0) {
        throw new IOException(launchLog(stateDir).strip());
      }
      awaitOwnGroup(pid);
      ContainerStateFile state = new ContainerStateFile(id, pid, ProcessGroups.startTicks(pid).orElse(0), shim.pid(),
          startedAt, logFile, cgroups, mountNamespace, setpriv, spec);
      state.write(stateDir);
      ProcessContainer container = new ProcessContainer(state, stateDir, output, stdin, timers, clock);
      containers.put(id, container);
      container.watch(shim.exit(), blocking);
      container.exited().whenComplete((exit, error) -> containers.remove(id));
      return container;
    } catch (IOException e) {
      if (output != null) {
        output.detach();
      }
      stdin.ifPresent(ContainerStdin::close);
      Cgroups.remove(cgroups);
      deleteTree(stateDir);
      throw new StartFailure("RunContainerError", "failed to start container \"" + spec.containerName() + "\": " + e.getMessage());
    }
  }

  /** The shim in a session of its own: by posix_spawn where the C library allows, else through setsid(1). */
  static SessionSpawner.Child startShim(boolean posixSpawn, List<String> argv, Map<String, String> env, Path launchLog)
      throws IOException {
    if (posixSpawn) {
      return SessionSpawner.spawn(argv, env, launchLog);
    }
    List<String> withSetsid = new ArrayList<>(List.of("setsid"));
    withSetsid.addAll(argv);
    ProcessBuilder builder = new ProcessBuilder(withSetsid)
        .directory(Path.of("/").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(launchLog.toFile()))
        .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process shim = builder.start();
    return new SessionSpawner.Child(shim.pid(), shim.onExit().thenApply(p -> OptionalInt.of(p.exitValue())));
  }

  /**
   * The container's pid, which its launcher writes first; -1 when the shim ended without one (the
   * launcher failed, its reason is in the launch log).
   */
  private static long awaitContainerPid(SessionSpawner.Child shim, Path stateDir) throws IOException {
    Path pidFile = stateDir.resolve(LaunchCommand.PID_FILE);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      boolean shimAlive = !shim.exit().isDone();
      OptionalLong pid = completeLine(pidFile);
      if (pid.isPresent()) {
        return pid.getAsLong();
      }
      if (!shimAlive) {
        return -1;
      }
      LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
    }
    ProcessGroups.signal(shim.pid(), "KILL"); // the shim leads its session's group
    throw new IOException("the container's launcher did not start within 10s");
  }

  /** Waits until the container leads its own process group, so that a stop right after the start reaches all of it. */
  private static void awaitOwnGroup(long pid) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && ProcessGroups.processGroup(pid).orElse(-1) != pid) {
      LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
    }
  }

  static String launchLog(Path stateDir) {
    try (InputStream in = Files.newInputStream(stateDir.resolve(LaunchCommand.LAUNCH_LOG))) {
      return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The container's env as its process gets it: exactly the spec's, plus a PATH if it has none (images set one). */
  static Map<String, String> environment(ContainerSpec spec) {
    Map<String, String> env = new HashMap<>(spec.env());
    env.putIfAbsent("PATH", DEFAULT_PATH);
    return env;
  }

  /** Mounts the process will see at their container paths (only with a private mount namespace). */
  private List<ContainerSpec.Mount> visibleMounts(ContainerSpec spec) {
    return host.mountNamespaces() ? spec.mounts() : List.of();
  }

  @Override
  public CompletionStage<ExecResult> exec(String containerId, List<String> command, Duration timeout) {
    ProcessContainer container = containers.get(containerId);
    if (container == null || !container.isRunning()) {
      return CompletableFuture.failedFuture(new NoSuchElementException("container \"" + containerId + "\" is not running"));
    }
    return CompletableFuture.supplyAsync(() -> runExec(container, command, timeout), blocking);
  }

  private ExecResult runExec(ProcessContainer container, List<String> command, Duration timeout) {
    ContainerStateFile state = container.state();
    List<String> argv = LaunchCommand.exec(command, state.pid(), state.mountNamespace(), state.cgroups(),
        state.spec().workingDir(), state.setpriv(), Optional.empty());
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile(settings.rootDirectory(), "exec-", ".out");
      err = Files.createTempFile(settings.rootDirectory(), "exec-", ".err");
      ProcessBuilder builder = new ProcessBuilder(argv)
          .directory(Path.of("/").toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().clear();
      builder.environment().putAll(environment(state.spec()));
      Process process = builder.start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        ProcessGroups.signal(process.pid(), "KILL");
        process.waitFor(5, TimeUnit.SECONDS);
      } else {
        // Whatever the command left behind in its session ends with it.
        ProcessGroups.signal(process.pid(), "KILL");
      }
      return new ExecResult(finished ? process.exitValue() : -1, head(out), head(err), !finished);
    } catch (IOException e) {
      return new ExecResult(126, "", "exec failed: " + e.getMessage(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ExecResult(-1, "", "interrupted", true);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  @Override
  public CompletionStage<AttachedStreams> execAttached(String containerId, List<String> command, boolean tty) {
    return exec(containerId, command, tty ? Optional.of(new int[] {80, 24}) : Optional.empty());
  }

  @Override
  public CompletionStage<AttachedStreams> execOnTerminal(String containerId, List<String> command, int width,
      int height) {
    return exec(containerId, command, Optional.of(new int[] {width, height}));
  }

  /** An attached exec; with {@code terminalSize} (width, height) on a new pseudo-terminal of that size. */
  private CompletionStage<AttachedStreams> exec(String containerId, List<String> command,
      Optional<int[]> terminalSize) {
    boolean tty = terminalSize.isPresent();
    ProcessContainer container = containers.get(containerId);
    if (container == null || !container.isRunning()) {
      return CompletableFuture.failedFuture(new NoSuchElementException("container \"" + containerId + "\" is not running"));
    }
    return CompletableFuture.supplyAsync(() -> {
      ContainerStateFile state = container.state();
      Map<String, String> env = environment(state.spec());
      String missing = ExecutableLookup.problem(command, env.get("PATH"), state.spec().workingDir(),
          visibleMounts(state.spec()));
      if (missing != null) {
        // containerd's words, as kubectl prints them after "error executing command in container: ".
        throw new StartFailure("RunContainerError", "failed to exec in container: failed to start exec \""
            + UUID.randomUUID().toString().replace("-", "") + "\": OCI runtime exec failed: exec failed: unable to "
            + "start container process: " + missing + ": unknown");
      }
      Optional<PseudoTerminal> terminal = Optional.empty();
      try {
        terminal = tty ? Optional.of(PseudoTerminal.open()) : Optional.empty();
        if (tty) {
          terminal.get().resize(terminalSize.get()[0], terminalSize.get()[1]);
        }
        List<String> argv = LaunchCommand.exec(command, state.pid(), state.mountNamespace(), state.cgroups(),
            state.spec().workingDir(), state.setpriv(), terminal.map(PseudoTerminal::slavePath));
        if (tty) {
          // As containerd does for a TTY exec: programs need to know what terminal they drive.
          env.putIfAbsent("TERM", "xterm");
        }
        return AttachedExec.start(argv, env, terminal, blocking, timers);
      } catch (IOException e) {
        terminal.ifPresent(PseudoTerminal::close);
        throw new UncheckedIOException(e);
      }
    }, blocking);
  }

  @Override
  public CompletionStage<AttachedStreams> attach(String containerId, boolean tty, boolean stdin) {
    ProcessContainer container = containers.get(containerId);
    if (container == null || !container.isRunning()) {
      return CompletableFuture.failedFuture(new NoSuchElementException("container \"" + containerId + "\" is not running"));
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        return container.attach(tty, stdin);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, blocking);
  }

  private String head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(settings.execOutputLimit()), StandardCharsets.UTF_8);
    }
  }

  /**
   * Kills every container still running under {@code rootDirectory} (a runtime's state directory), for
   * tests and benchmarks: a stopped kubelet leaves its containers running on purpose (a restarted one
   * adopts them), and a test must not leave processes behind.
   */
  public static void killAllUnder(Path rootDirectory) {
    if (!Files.isDirectory(rootDirectory)) {
      return;
    }
    ProcessRuntime runtime = new ProcessRuntime(RuntimeSettings.defaults(rootDirectory));
    try {
      // Generous: on a machine at load 40 a SIGKILLed container's exit was seen only after more than 10 s
      // (the exit is noticed, its output drained, its cgroups and state removed).
      runtime.running().forEach(c -> {
        try {
          c.stop(Duration.ZERO).toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("container " + c.id() + " under " + rootDirectory
              + " did not exit within 60 s of SIGKILL", e);
        }
      });
    } finally {
      runtime.close();
    }
  }

  @Override
  public List<RunningContainer> running() {
    List<RunningContainer> found = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(containersDir)) {
      for (Path dir : dirs.toList()) {
        String id = dir.getFileName().toString();
        ProcessContainer known = containers.get(id);
        if (known != null) {
          if (known.isRunning()) {
            found.add(known);
          }
          continue;
        }
        adopt(dir).ifPresent(found::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Takes over a container started by an earlier runtime on this root, if its process still runs. */
  private Optional<ProcessContainer> adopt(Path stateDir) {
    ContainerStateFile state;
    try {
      state = ContainerStateFile.read(stateDir);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    var ticks = ProcessGroups.startTicks(state.pid());
    if (ticks.isEmpty() || ticks.getAsLong() != state.startTicks()) {
      // Gone while no runtime watched it (or the pid now belongs to another process): clean up.
      Cgroups.remove(state.cgroups());
      deleteTree(stateDir);
      return Optional.empty();
    }
    ProcessContainer.Output output;
    try {
      output = ProcessContainer.Output.attach(state.id(), stateDir,
          new CriLogWriter(state.logFile(), settings.containerLogMaxSize(), settings.containerLogMaxFiles(), clock));
    } catch (IOException e) {
      return Optional.empty();
    }
    Optional<ContainerStdin> stdin = state.spec().streams().stdin()
        ? Optional.of(ContainerStdin.adopted(stateDir.resolve(LaunchCommand.STDIN_FIFO), state.spec().streams().stdinOnce()))
        : Optional.empty();
    ProcessContainer container = new ProcessContainer(state, stateDir, output, stdin, timers, clock);
    containers.put(state.id(), container);
    // The shim outlives the container by the time it takes to write the exit code; without it, the code is unknown.
    ProcessHandle watched = ProcessHandle.of(state.shimPid()).filter(ProcessHandle::isAlive)
        .or(() -> ProcessHandle.of(state.pid())).orElseThrow();
    container.watch(watched.onExit().thenApply(p -> exitCodeKeptByShim(stateDir)), blocking);
    container.exited().whenComplete((exit, error) -> containers.remove(state.id()));
    return Optional.of(container);
  }

  private static OptionalInt exitCodeKeptByShim(Path stateDir) {
    OptionalLong code = completeLine(stateDir.resolve(LaunchCommand.EXIT_FILE));
    return code.isPresent() ? OptionalInt.of((int) code.getAsLong()) : OptionalInt.empty();
  }

  /**
   * The number a launcher's {@code echo} wrote to {@code file}, once the whole line is there: the file
   * exists from the redirection on, before the line is written.
   */
  static OptionalLong completeLine(Path file) {
    try {
      String content = Files.readString(file);
      return content.endsWith("\n") ? OptionalLong.of(Long.parseLong(content.strip())) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Stops watching: the containers keep running and a later runtime on the same root adopts them.
   * The kubelet stops containers explicitly; closing the runtime never kills them.
   */
  @Override
  public void close() {
    containers.values().forEach(ProcessContainer::detach);
    containers.clear();
    host.cgroups().ifPresent(Cgroups::removeParents);
    timers.shutdownNow();
    blocking.shutdownNow();
  }

  /** {@code <n>.log} in the container's log directory, n one more than the last (the kubelet's restart count). */
  private static Path nextLogFile(Path logDirectory) throws IOException {
    Files.createDirectories(logDirectory);
    int next = 0;
    try (Stream<Path> files = Files.list(logDirectory)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        int dot = name.indexOf(".log");
        if (dot > 0 && name.substring(0, dot).chars().allMatch(Character::isDigit)) {
          next = Math.max(next, Integer.parseInt(name.substring(0, dot)) + 1);
        }
      }
    }
    return logDirectory.resolve(next + ".log");
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(ProcessRuntime::deleteQuietly);
    } catch (IOException | UncheckedIOException ignored) {
      // Already gone, or going: another runtime on the same root (a restarted kubelet) cleans up too.
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // Left behind; harmless.
      }
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread t = new Thread(runnable, name);
      t.setDaemon(true);
      return t;
    };
  }
}
