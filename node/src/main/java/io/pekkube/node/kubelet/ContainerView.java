package io.pekkube.node.kubelet;

import io.pekkube.node.runtime.RunningContainer;
import java.time.Instant;

/**
 * What the kubelet knows of one container of a pod at one moment: the input of the status
 * computation ({@link PodStatuses}). {@code lastTermination} is the run before the current one
 * ({@code lastState}); {@code containerId} is that of the current or last run ("" before any).
 */
public record ContainerView(String name, boolean init, State state, Termination lastTermination, int restartCount,
    boolean ready, boolean started, String containerId, String image, String imageId) {

  public sealed interface State permits Waiting, Running, Terminated {}

  public record Waiting(String reason, String message) implements State {}

  public record Running(Instant startedAt) implements State {}

  public record Terminated(Termination termination) implements State {}

  /** One finished run. */
  public record Termination(int exitCode, String reason, String message, Instant startedAt, Instant finishedAt,
      String containerId) {
    public static Termination of(RunningContainer.Exit exit, String containerId) {
      return new Termination(exit.exitCode(), exit.reason(), exit.message(), exit.startedAt(), exit.finishedAt(),
          containerId);
    }
  }

  public boolean running() {
    return state instanceof Running;
  }

  public boolean succeeded() {
    return state instanceof Terminated t && t.termination().exitCode() == 0;
  }
}
