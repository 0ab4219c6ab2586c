package io.pekkube.node.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Everything a runtime needs to start one container, already resolved by the kubelet: the final
 * command line (image entrypoint and pod command/args merged as Kubernetes does), env with every
 * valueFrom resolved, and volumes already materialised as host directories.
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

  /** Resource limits in bytes and millicores; 0 means none. */
  public record Limits(long memoryBytes, long cpuMillis) {
    public static Limits none() {
      return new Limits(0, 0);
    }
  }
}
