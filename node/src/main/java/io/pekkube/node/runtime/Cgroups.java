package io.pekkube.node.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-container cgroups for memory and CPU limits. Containers' cgroups are created below the
 * runtime's own cgroup ({@code <own>/pekkube/<id>}), so they stay inside whatever limits the host put
 * on the kubelet. Works on cgroup v1 (memory and cpu hierarchies) and v2 (unified, when the
 * controllers can be delegated); {@link #probe()} finds out which, if any, this host allows.
 */
final class Cgroups {
  enum Version { V1, V2 }

  private final Version version;
  /** v1: the memory and cpu parents; v2: the one parent. */
  private final Path memoryParent;
  private final Path cpuParent;

  private Cgroups(Version version, Path memoryParent, Path cpuParent) {
    this.version = version;
    this.memoryParent = memoryParent;
    this.cpuParent = cpuParent;
  }

  /** The container cgroups this host lets the runtime create, or empty. */
  static Optional<Cgroups> probe() {
    Path root = Path.of("/sys/fs/cgroup");
    try {
      List<String> own = Files.readAllLines(Path.of("/proc/self/cgroup"));
      if (Files.exists(root.resolve("cgroup.controllers"))) {
        String path = own.stream().filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst().orElse("/");
        Path parent = root.resolve(path.substring(1)).resolve("pekkube");
        return tryCreate(new Cgroups(Version.V2, parent, parent));
      }
      Path memory = v1Parent(root, own, "memory");
      Path cpu = v1Parent(root, own, "cpu");
      if (memory == null || cpu == null) {
        return Optional.empty();
      }
      return tryCreate(new Cgroups(Version.V1, memory, cpu));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Path v1Parent(Path root, List<String> own, String controller) {
    for (String line : own) {
      String[] parts = line.split(":", 3);
      if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
        Path hierarchy = root.resolve(controller);
        return Files.isDirectory(hierarchy) ? hierarchy.resolve(parts[2].substring(1)).resolve("pekkube") : null;
      }
    }
    return null;
  }

  private static Optional<Cgroups> tryCreate(Cgroups cgroups) throws IOException {
    List<Path> test = cgroups.create("probe-" + ProcessHandle.current().pid(), new ContainerSpec.Limits(64L << 20, 100, 100));
    remove(test);
    cgroups.removeParents();
    return Optional.of(cgroups);
  }

  Version version() {
    return version;
  }

  String describe() {
    return version == Version.V1
        ? "cgroup v1 (memory under " + memoryParent + ", cpu under " + cpuParent + ")"
        : "cgroup v2 under " + memoryParent;
  }

  /**
   * Creates the container's cgroup(s) with the limits (0 = none) and the CPU share of its request;
   * returns the directories to join.
   */
  List<Path> create(String id, ContainerSpec.Limits limits) throws IOException {
    long memoryBytes = limits.memoryBytes();
    long cpuMillis = limits.cpuMillis();
    long shares = cpuShares(limits.cpuRequestMillis());
    List<Path> dirs = new ArrayList<>();
    if (version == Version.V2) {
      Files.createDirectories(memoryParent);
      Files.writeString(memoryParent.resolve("cgroup.subtree_control"), "+memory +cpu");
      Path dir = Files.createDirectories(memoryParent.resolve(id));
      dirs.add(dir);
      if (memoryBytes > 0) {
        Files.writeString(dir.resolve("memory.max"), Long.toString(memoryBytes));
        Files.writeString(dir.resolve("memory.swap.max"), "0");
      }
      if (cpuMillis > 0) {
        Files.writeString(dir.resolve("cpu.max"), quotaMicros(cpuMillis) + " 100000");
      }
      Files.writeString(dir.resolve("cpu.weight"), Long.toString(cpuWeight(shares)));
      return dirs;
    }
    Path memory = Files.createDirectories(memoryParent.resolve(id));
    dirs.add(memory);
    if (memoryBytes > 0) {
      Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
    }
    Path cpu = Files.createDirectories(cpuParent.resolve(id));
    dirs.add(cpu);
    if (cpuMillis > 0) {
      Files.writeString(cpu.resolve("cpu.cfs_period_us"), "100000");
      Files.writeString(cpu.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros(cpuMillis)));
    }
    Files.writeString(cpu.resolve("cpu.shares"), Long.toString(shares));
    return dirs;
  }

  /**
   * The kubelet's cgroup v1 CPU shares for a request (MilliCPUToShares): 1,024 per CPU, at least 2 (the
   * share of a container without a request) and at most 262,144.
   */
  static long cpuShares(long requestMillis) {
    return Math.max(2, Math.min(262_144, requestMillis * 1024 / 1000));
  }

  /** The same share as a cgroup v2 weight, mapped as the kubelet and runc do: [2, 262144] to [1, 10000]. */
  static long cpuWeight(long shares) {
    return 1 + (shares - 2) * 9999 / 262_142;
  }

  /** CPU time per 100 ms period; the kernel's minimum quota is 1 ms (as the kubelet clamps it). */
  static long quotaMicros(long cpuMillis) {
    return Math.max(1000, cpuMillis * 100);
  }

  /** Whether the kernel's OOM killer killed a process of this container (v1 memory.oom_control, v2 memory.events). */
  static boolean oomKilled(List<Path> dirs) {
    for (Path dir : dirs) {
      for (String file : List.of("memory.oom_control", "memory.events")) {
        try {
          for (String line : Files.readAllLines(dir.resolve(file))) {
            if (line.startsWith("oom_kill ") && Long.parseLong(line.substring(9).trim()) > 0) {
              return true;
            }
          }
        } catch (IOException | RuntimeException ignored) {
          // Not this version's file.
        }
      }
    }
    return false;
  }

  /**
   * Removes the runtime's parent cgroups once no container is left in them, so that the host can
   * remove the cgroup the runtime itself runs in.
   */
  void removeParents() {
    remove(version == Version.V1 ? List.of(memoryParent, cpuParent) : List.of(memoryParent));
  }

  /** Removes the container's cgroups; they must be empty (the container's processes are gone). */
  static void remove(List<Path> dirs) {
    for (Path dir : dirs) {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException ignored) {
        // A straggler still inside; the directory stays until the next cleanup.
      }
    }
  }
}
