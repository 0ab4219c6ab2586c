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
    Path logDirectory) {

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
