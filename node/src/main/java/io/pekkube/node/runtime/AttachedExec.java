package io.pekkube.node.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A command running in a container with its streams attached to a client ({@code kubectl exec}):
 * three pipes, or one pseudo-terminal. The command leads its own session; when it exits, whatever it
 * left in its process group is killed, as the existing exec does, and a terminal is closed once its
 * output has had {@link #DRAIN} to be read.
 */
final class AttachedExec implements AttachedStreams {
  static final Duration DRAIN = Duration.ofSeconds(2);

  private final Process process;
  private final PseudoTerminal terminal;
  private final CompletableFuture<Optional<Integer>> exited = new CompletableFuture<>();

  private AttachedExec(Process process, PseudoTerminal terminal) {
    this.process = process;
    this.terminal = terminal;
  }

  /** Starts {@code argv} (made by {@link LaunchCommand#exec}, with the terminal's slave when there is one). */
  static AttachedExec start(List<String> argv, Map<String, String> env, Optional<PseudoTerminal> terminal,
      Executor blocking, ScheduledExecutorService timers) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(argv).directory(Path.of("/").toFile());
    if (terminal.isPresent()) {
      // The command opens the terminal itself (so that it becomes its controlling terminal).
      builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    AttachedExec exec = new AttachedExec(process, terminal.orElse(null));
    process.onExit().thenAcceptAsync(p -> exec.ended(timers), blocking);
    return exec;
  }

  private void ended(ScheduledExecutorService timers) {
    // Whatever the command left behind in its session ends with it.
    ProcessGroups.signal(process.pid(), "KILL");
    if (terminal != null) {
      terminal.releaseSlave();
      timers.schedule(terminal::close, DRAIN.toMillis(), TimeUnit.MILLISECONDS);
    }
    exited.complete(Optional.of(process.exitValue()));
  }

  @Override
  public Optional<OutputStream> stdin() {
    return Optional.of(terminal != null ? terminal.input() : process.getOutputStream());
  }

  @Override
  public InputStream stdout() {
    return terminal != null ? terminal.output() : process.getInputStream();
  }

  @Override
  public Optional<InputStream> stderr() {
    return terminal != null ? Optional.empty() : Optional.of(process.getErrorStream());
  }

  @Override
  public void resize(int width, int height) {
    if (terminal != null) {
      try {
        terminal.resize(width, height);
      } catch (IOException e) {
        // The terminal is gone with the command; a late resize changes nothing.
      }
    }
  }

  @Override
  public CompletionStage<Optional<Integer>> exited() {
    return exited;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      ProcessGroups.signal(process.pid(), "KILL");
    }
    if (terminal == null) {
      try {
        process.getOutputStream().close();
      } catch (IOException e) {
        // The command has gone already.
      }
    }
  }
}
