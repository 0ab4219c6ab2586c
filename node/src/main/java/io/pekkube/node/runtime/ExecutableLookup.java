package io.pekkube.node.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Finds a container's executable before starting it, so that a missing one is a start failure with
 * runc's message (as {@code kubectl describe pod} shows it), not an exit code 127 from a shell.
 * Paths under a volume's mount path are looked up in the volume's host directory.
 */
final class ExecutableLookup {
  private ExecutableLookup() {}

  /** Why {@code command} cannot be executed, in runc's words, or null when it can. */
  static String problem(List<String> command, String pathVariable, String workingDir, List<ContainerSpec.Mount> mounts) {
    if (command.isEmpty() || command.get(0).isEmpty()) {
      return "exec: \"\": executable file not found in $PATH";
    }
    String name = command.get(0);
    if (name.contains("/")) {
      String absolute = name.startsWith("/") ? name : (workingDir.isEmpty() ? "/" : workingDir) + "/" + name;
      Path host = onHost(absolute, mounts);
      if (!Files.exists(host)) {
        return "exec: \"" + name + "\": stat " + name + ": no such file or directory";
      }
      if (Files.isDirectory(host) || !Files.isExecutable(host)) {
        return "exec: \"" + name + "\": permission denied";
      }
      return null;
    }
    for (String dir : (pathVariable == null ? "" : pathVariable).split(":")) {
      if (dir.startsWith("/")) {
        Path candidate = onHost(dir + "/" + name, mounts);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return null;
        }
      }
    }
    return "exec: \"" + name + "\": executable file not found in $PATH";
  }

  /** Where a path the container sees lives on the host (the longest mount path that contains it). */
  static Path onHost(String containerPath, List<ContainerSpec.Mount> mounts) {
    return mounts.stream()
        .filter(m -> containerPath.equals(m.containerPath()) || containerPath.startsWith(trimSlash(m.containerPath()) + "/"))
        .max(Comparator.comparingInt(m -> m.containerPath().length()))
        .map(m -> {
          String rest = containerPath.substring(trimSlash(m.containerPath()).length());
          return rest.isEmpty() ? m.hostPath() : m.hostPath().resolve(rest.substring(1));
        })
        .orElse(Path.of(containerPath));
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
  }
}
