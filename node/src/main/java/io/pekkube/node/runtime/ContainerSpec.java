package io.pekkube.node.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Everything a runtime needs to start one container, already resolved by the kubelet: the final
 * command line (image entrypoint and pod command/args merged as Kubernetes does), env with every
 * valueFrom resolved, and volumes already materialised as host directories.
 *
 * <p>{@code command} is final: resolve it with {@code ContainerCommand.resolve} (image entrypoint/cmd,
 * {@code $(VAR)} expansion). {@code workingDir} empty means {@code /}. {@code logDirectory} is the
 * container's own log directory ({@code /var/log/pods/<ns>_<pod>_<uid>/<container>} in Kubernetes):
 * each start writes {@code <n>.log} there, n being one more than the last file's (the restart count).
 * {@code streams} are the container's {@code stdin}, {@code stdinOnce} and {@code tty} fields, which
 * {@code kubectl attach} needs.
 */
public record ContainerSpec(
    String podUid,
    String namespace,
    String podName,
    String containerName,
    String image,
    List<String> command,
    Map<String, String> env,
    String workingDir,
    List<Mount> mounts,
    Security security,
    Limits limits,
    Path logDirectory,
    Streams streams) {

  /** A container that reads no input (the usual case). */
  public ContainerSpec(String podUid, String namespace, String podName, String containerName, String image,
      List<String> command, Map<String, String> env, String workingDir, List<Mount> mounts, Security security,
      Limits limits, Path logDirectory) {
    this(podUid, namespace, podName, containerName, image, command, env, workingDir, mounts, security, limits,
        logDirectory, Streams.none());
  }

  /**
   * Whether the container's stdin stays open for clients that attach ({@code stdin}), is closed when the
   * first of them detaches ({@code stdinOnce}), and whether it asked for a terminal ({@code tty}).
   */
  public record Streams(boolean stdin, boolean stdinOnce, boolean tty) {
    public static Streams none() {
      return new Streams(false, false, false);
    }
  }

  /** A host directory or file that the container sees at {@code containerPath}. */
  public record Mount(Path hostPath, String containerPath, boolean readOnly) {}

  /** securityContext, merged from pod and container. */
  public record Security(OptionalLong runAsUser, OptionalLong runAsGroup, boolean readOnlyRootFilesystem) {
    public static Security none() {
      return new Security(OptionalLong.empty(), OptionalLong.empty(), false);
    }
  }

  /**
   * Resource limits in bytes and millicores (0 means none), and the CPU request in millicores, which
   * sets the container's share of the CPU when CPUs are contended (0: the smallest share, as a
   * BestEffort container's in Kubernetes).
   */
  public record Limits(long memoryBytes, long cpuMillis, long cpuRequestMillis) {
    public Limits(long memoryBytes, long cpuMillis) {
      this(memoryBytes, cpuMillis, 0);
    }

    public static Limits none() {
      return new Limits(0, 0, 0);
    }
  }
}
