package io.pekkube.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of the scheduler benchmarks ({@code --flag value} pairs): the flags both take, the
 * workload and the sizes, by default scheduler_perf's {@code SchedulingBasic/5000Nodes} shape (5000
 * nodes, 1000 pods placed first, 5000 measured), and each one's own.
 */
final class SchedulingFlags {
  private static final List<String> COMMON = List.of("--root", "--workload", "--nodes", "--init-pods", "--pods");
  private final Map<String, String> values = new HashMap<>();

  SchedulingFlags(String[] args, List<String> own) {
    for (int i = 0; i < args.length; i += 2) {
      if (!COMMON.contains(args[i]) && !own.contains(args[i])) {
        throw new IllegalArgumentException("unknown argument " + args[i]);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      values.put(args[i], args[i + 1]);
    }
  }

  String get(String flag, String otherwise) {
    return values.getOrDefault(flag, otherwise);
  }

  int get(String flag, int otherwise) {
    String v = values.get(flag);
    return v == null ? otherwise : Integer.parseInt(v);
  }

  String root() {
    return get("--root", System.getProperty("user.dir"));
  }

  String workload() {
    return get("--workload", "basic");
  }

  int nodes() {
    return get("--nodes", 5_000);
  }

  int initPods() {
    return get("--init-pods", 1_000);
  }

  int pods() {
    return get("--pods", 5_000);
  }
}
