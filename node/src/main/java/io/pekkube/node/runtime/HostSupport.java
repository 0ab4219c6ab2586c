package io.pekkube.node.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What this host lets the process runtime enforce, found out once at start: whether it runs as root,
 * whether {@code setpriv} can switch users, whether {@code unshare -m} gives a private mount namespace
 * (for volume bind mounts), and which cgroups it can create for limits.
 */
record HostSupport(boolean root, boolean setpriv, boolean mountNamespaces, Optional<Cgroups> cgroups) {

  static HostSupport probe() {
    boolean root = isRoot();
    boolean setpriv = root && runs("setpriv", "--reuid=0", "--regid=0", "--clear-groups", "--", "true");
    boolean mounts = root && runs("unshare", "-m", "--propagation", "private", "--", "true");
    Optional<Cgroups> cgroups = root ? Cgroups.probe() : Optional.empty();
    return new HostSupport(root, setpriv, mounts, cgroups);
  }

  /** The same host with nothing enforced: plain processes (for tests of the fallback paths). */
  static HostSupport none() {
    return new HostSupport(false, false, false, Optional.empty());
  }

  boolean runsAsUser() {
    return root && setpriv;
  }

  ContainerRuntime.Enforcement enforcement() {
    List<String> notes = new ArrayList<>();
    notes.add(cgroups.map(c -> "limits enforced with " + c.describe())
        .orElse("limits not enforced: no writable cgroup hierarchy (requests and limits are only accounted)"));
    notes.add(runsAsUser() ? "runAsUser/runAsGroup enforced with setpriv"
        : "runAsUser/runAsGroup not enforced: the runtime does not run as root with setpriv");
    notes.add(mountNamespaces ? "volumes bind-mounted at their mountPath in a private mount namespace"
        : "volumes not mounted: containers see them at their host paths (no private mount namespace)");
    return new ContainerRuntime.Enforcement(cgroups.isPresent(), runsAsUser(), String.join("; ", notes));
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
