package io.pekkube.node.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** One started container: a handle the kubelet keeps until the container has exited. */
public interface RunningContainer {
  /** Unique per start (a restart gets a new id); shown as containerID {@code pekkube://<id>}. */
  String id();

  ContainerSpec spec();

  Instant startedAt();

  /** The process id on the host (0 for simulated containers). */
  long pid();

  /** Completes when the container's main process has exited, for whatever reason. */
  CompletionStage<Exit> exited();

  /** SIGTERM to the process group, then SIGKILL after {@code grace}; the same as {@link #exited()}. */
  CompletionStage<Exit> stop(Duration grace);

  /** The file its stdout and stderr go to (rotated by the runtime). */
  Path logFile();

  /**
   * How a container ended: the exit code, and the reason containerStatuses' terminated.reason shows
   * ({@code Completed} for 0, {@code Error} otherwise, {@code OOMKilled} when the memory limit killed it,
   * {@code StartError} (code 128) when the runtime could not set the process up, e.g. a mount failed,
   * {@code ContainerStatusUnknown} (code 137) for a container adopted from an earlier runtime whose
   * shim is gone, so its exit code cannot be read). A process killed by signal n exits with 128+n.
   */
  record Exit(int exitCode, String reason, String message, Instant startedAt, Instant finishedAt) {}
}
