package io.pekkube.node.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the kubelet asks of a container runtime (the CRI's role in Kubernetes). The kubelet decides
 * what runs and when (pod sync, restart policy, back-off, probes); a runtime only starts, stops and
 * inspects containers. Implementations: {@code ProcessRuntime} (real OS processes, the default) and
 * {@code SimulatedRuntime} (nothing runs; for simulated nodes at scale).
 */
public interface ContainerRuntime {

  /** The runtime the settings name ({@code pekkube.node.runtime.kind}): {@code process} or {@code simulated}. */
  static ContainerRuntime create(RuntimeSettings settings) {
    return switch (settings.kind()) {
      case "process" -> new ProcessRuntime(settings);
      case "simulated" -> new SimulatedRuntime(settings);
      default -> throw new IllegalArgumentException(
          "pekkube.node.runtime.kind must be process or simulated, was " + settings.kind());
    };
  }

  /** Resolves the image (the project's local catalogue); fails with ErrImagePull-style reasons. */
  CompletionStage<ImageCheck> pullImage(String image);

  /**
   * Starts one container. The stage completes once the process runs (or failed to start:
   * {@link StartFailure} carries the Kubernetes reason, e.g. {@code CreateContainerConfigError},
   * {@code RunContainerError}).
   */
  CompletionStage<RunningContainer> start(ContainerSpec spec);

  /** Runs a command inside a running container's context to its end (exec probes, lifecycle hooks). */
  CompletionStage<ExecResult> exec(String containerId, List<String> command, Duration timeout);

  /**
   * Runs a command in a running container with its streams attached to the caller ({@code kubectl
   * exec}); with {@code tty} on a new pseudo-terminal. Fails with {@link java.util.NoSuchElementException}
   * when the container does not run.
   */
  CompletionStage<AttachedStreams> execAttached(String containerId, List<String> command, boolean tty);

  /**
   * {@link #execAttached} on a terminal that is {@code width} × {@code height} before the command starts
   * (a command that reads its size at once, e.g. {@code stty size}, sees the client's).
   */
  default CompletionStage<AttachedStreams> execOnTerminal(String containerId, List<String> command, int width,
      int height) {
    return execAttached(containerId, command, true).thenApply(streams -> {
      streams.resize(width, height);
      return streams;
    });
  }

  /**
   * Attaches to a running container's own streams ({@code kubectl attach}): its output from now on and,
   * with {@code stdin} when it was started with {@code stdin: true}, its input; with {@code tty} one output stream.
   */
  CompletionStage<AttachedStreams> attach(String containerId, boolean tty, boolean stdin);

  /** The containers this runtime still runs, e.g. after a kubelet restart (to adopt or clean up). */
  List<RunningContainer> running();

  /** Whether resource limits and user switching are really enforced on this host, for node status. */
  Enforcement enforcement();

  /** The outcome of {@link #pullImage}. {@code reason} is empty when the image is known. */
  record ImageCheck(String image, boolean present, String reason, String message, ImageConfig config) {}

  /** An image's defaults, as an image config holds them. */
  record ImageConfig(List<String> entrypoint, List<String> cmd, String workingDir, String user) {}

  /** Output of an exec, with the exit code (-1 when it timed out). */
  record ExecResult(int exitCode, String stdout, String stderr, boolean timedOut) {}

  record Enforcement(boolean limits, boolean runAsUser, String note) {}

  /** Why a container could not start; {@code reason} is what containerStatuses' waiting.reason shows. */
  final class StartFailure extends RuntimeException {
    private final String reason;

    public StartFailure(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }
}
