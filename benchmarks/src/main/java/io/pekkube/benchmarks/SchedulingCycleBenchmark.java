package io.pekkube.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.scheduler.SchedulerSettings;
import io.pekkube.actors.scheduler.cache.SchedulerCache;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import io.pekkube.actors.scheduler.plugins.Registry;
import io.pekkube.actors.scheduler.queue.SchedulingQueue;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The scheduler's decision throughput in-process, without the API server: scheduler_perf's
 * {@code SchedulingBasic} shape with the real scheduling code and nothing around it. The default profile's
 * {@link Framework} is built from the configuration as the Scheduler actor builds it, a {@link SchedulerCache}
 * gets {@code --nodes} Node objects (those of {@link SchedulerBenchmark#node}) and {@code --init-pods} bound
 * pods through its pod-update path (pod i on node i mod nodes), and {@code --pods} pending pods are queued
 * and then scheduled one after the other as {@code Scheduler.scheduleOne} does on its success path: pop,
 * {@code framework.schedule(pod, cache)}, {@code cache.assume}, Reserve, Permit. PreBind and Bind are not
 * run (they write to the API); each pod counts as placed once assumed, as it does for the next cycles.
 *
 * <p>Figures: pods/s over the measured loop and per one-second sample (complete seconds only, sorted
 * ascending as scheduler_perf's percentiles), each cycle's latency (pop to Permit), the nodes filtered per
 * cycle, and the heap used after. A JIT warm-up schedules {@code --warmup} pods on a separate cache first.
 *
 * <p>Workloads ({@code --workload}): {@code basic}, {@code anti-affinity} and {@code topology-spread} are
 * {@link SchedulerBenchmark#pod}'s; {@code rs-owned} is {@code basic} with a controlling ReplicaSet owner
 * reference, so that PodTopologySpread's default constraints apply. Run with
 * {@code benchmarks/run.sh scheduling-cycle [--workload W] [--nodes N] [--init-pods N] [--pods N]}.
 */
public final class SchedulingCycleBenchmark {
  static final List<String> WORKLOADS = List.of("basic", "rs-owned", "anti-affinity", "topology-spread");

  /** The measured loop's outcome: per pod the cycle's latency and when it ended (ns from the loop's start). */
  private record Pass(long[] latencies, long[] endedAt, long wallNanos, long evaluated, Map<String, String> nodeOf,
      int unschedulable, String firstFailure) {}

  /** The scheduler's state without its actor: one profile's framework, its cache and its queue. */
  private static final class InProcessScheduler {
    final SchedulerCache cache = new SchedulerCache();
    final Framework framework;
    final SchedulingQueue queue;

    InProcessScheduler(SchedulerSettings settings) {
      // No writers: nothing here reaches PreBind or Bind.
      Registry.Handle handle = new Registry.Handle(null, null, cache.volumes());
      SchedulerSettings.Profile profile = settings.profiles().get(0);
      framework = Registry.framework(settings, profile, handle, new Random());
      queue = new SchedulingQueue(framework.queueSort(), settings.podInitialBackoff(), settings.podMaxBackoff());
    }
  }

  private BenchmarkReport report;

  public static void main(String[] args) throws Exception {
    SchedulingFlags flags = new SchedulingFlags(args, List.of("--warmup"));
    Path root = Path.of(flags.root());
    int warmup = flags.get("--warmup", 2_000);
    String workload = flags.workload();
    if (!WORKLOADS.contains(workload)) {
      throw new IllegalArgumentException("--workload must be one of " + WORKLOADS);
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = root.toAbsolutePath().normalize().resolve("benchmarks/target/results");
    Files.createDirectories(out);
    SchedulingCycleBenchmark b = new SchedulingCycleBenchmark();
    try {
      b.run(workload, flags.nodes(), flags.initPods(), flags.pods(), warmup);
    } finally {
      if (b.report != null) {
        b.report.write(out.resolve("results-scheduling-cycle-" + workload + "-" + stamp + ".md"));
      }
    }
  }

  void run(String workload, int nodes, int initPods, int pods, int warmup) {
    report = new BenchmarkReport("Pekkube scheduling cycle throughput (in-process): " + workload + ", " + nodes
        + " nodes, " + initPods + " pods placed, " + pods + " pods measured");
    SchedulerSettings settings = SchedulerSettings.from(ConfigFactory.load());
    report.line("- the default profile from reference.conf (" + settings.profiles().get(0).plugins().size()
        + " plugins, percentage-of-nodes-to-score " + settings.percentageOfNodesToScore() + "), one thread; "
        + "per pod: queue pop, Framework.schedule, SchedulerCache.assume, Reserve, Permit (no PreBind/Bind); "
        + "JVM " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));

    long w0 = System.nanoTime();
    InProcessScheduler warm = filled(settings, workload, nodes, 0);
    Pass warmPass = schedule(warm, pending(workload, "warm-", warmup));
    report.line("- JIT warm-up: " + warmup + " pods on a separate cache of " + nodes + " nodes in "
        + ApiBenchmark.ms(System.nanoTime() - w0) + " ms (" + warmPass.unschedulable() + " unschedulable), discarded");

    long s0 = System.nanoTime();
    InProcessScheduler scheduler = filled(settings, workload, nodes, initPods);
    List<PodInfo> measured = pending(workload, "p-", pods);
    report.line("- setup: " + nodes + " nodes and " + initPods + " bound pods in the cache, " + pods
        + " pending pods parsed, in " + ApiBenchmark.ms(System.nanoTime() - s0) + " ms");
    System.gc(); // the warm-up's and the setup's garbage is not the measured loop's
    Pass pass = schedule(scheduler, measured);
    long heapAfter = heapUsedMb();
    System.gc();
    results(pass);
    report.line("- heap used after the loop: " + heapAfter + " MB; after a full GC: " + heapUsedMb() + " MB ("
        + scheduler.cache.podCount() + " pods placed on " + scheduler.cache.nodes().size() + " nodes); load average "
        + "after: " + ApiBenchmark.loadAvg());
    report.check(pass.unschedulable() == 0, "every measured pod placed (unschedulable: " + pass.unschedulable()
        + (pass.firstFailure() == null ? "" : ", first: " + pass.firstFailure()) + ")");
    Map<String, String> nodeOf = new HashMap<>(pass.nodeOf());
    for (int i = 0; i < initPods; i++) {
      nodeOf.put("bench/init-" + i, "node-" + (i % nodes));
    }
    SchedulerBenchmark.placement(report, workload, nodeOf);
  }

  /** A scheduler whose cache has the nodes and {@code initPods} pods of the workload bound round-robin. */
  static InProcessScheduler filled(SchedulerSettings settings, String workload, int nodes, int initPods) {
    InProcessScheduler s = new InProcessScheduler(settings);
    s.cache.upsertNamespace(Json.parseTrusted("{\"metadata\":{\"name\":\"bench\"}}"));
    for (int i = 0; i < nodes; i++) {
      s.cache.upsertNode(Json.parseTrusted(SchedulerBenchmark.node(i)));
    }
    for (int i = 0; i < initPods; i++) {
      ObjectNode pod = podObject(workload, "init-" + i);
      ((ObjectNode) pod.path("spec")).put("nodeName", "node-" + (i % nodes));
      s.cache.updatePod(PodInfo.of(pod));
    }
    return s;
  }

  /** The pods as the scheduler's pod watch would parse them; queued in {@link #schedule}. */
  static List<PodInfo> pending(String workload, String prefix, int count) {
    List<PodInfo> pods = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      pods.add(PodInfo.of(podObject(workload, prefix + i)));
    }
    return pods;
  }

  /** {@link SchedulerBenchmark#pod} with what the API server adds (uid, creationTimestamp) and, for rs-owned, the owner. */
  static ObjectNode podObject(String workload, String name) {
    boolean owned = workload.equals("rs-owned");
    ObjectNode pod = Json.parseTrusted(SchedulerBenchmark.pod(name, owned ? "basic" : workload).json());
    ObjectNode meta = (ObjectNode) pod.path("metadata");
    meta.put("uid", "uid-" + name).put("creationTimestamp", Instant.now().toString());
    if (owned) {
      meta.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet")
          .put("name", "basic").put("uid", "uid-replicaset-basic").put("controller", true)
          .put("blockOwnerDeletion", true);
    }
    return pod;
  }

  /** Queues the pods, then runs one cycle per pod as {@code Scheduler.scheduleOne} does until Permit. */
  static Pass schedule(InProcessScheduler s, List<PodInfo> pods) {
    long now = System.currentTimeMillis();
    pods.forEach(p -> s.queue.addOrUpdate(p, now));
    long[] latencies = new long[pods.size()];
    long[] endedAt = new long[pods.size()];
    Map<String, String> nodeOf = new HashMap<>(pods.size() * 2);
    long evaluated = 0;
    int unschedulable = 0;
    String firstFailure = null;
    long start = System.nanoTime();
    for (int i = 0; i < pods.size(); i++) {
      long t0 = System.nanoTime();
      PodInfo pod = s.queue.pop().orElseThrow().pod();
      Framework.Result result = s.framework.schedule(pod, s.cache);
      String failure = null;
      if (result instanceof Framework.Selected selected) {
        evaluated += selected.evaluated();
        s.cache.assume(pod, selected.nodeName());
        Status reserved = s.framework.runReserve(pod, selected.nodeName());
        Status permitted = reserved.isSuccess() ? s.framework.runPermit(pod, selected.nodeName()) : reserved;
        if (permitted.isSuccess()) {
          nodeOf.put(pod.key(), selected.nodeName());
        } else {
          if (reserved.isSuccess()) {
            s.framework.runUnreserve(pod, selected.nodeName());
          }
          s.cache.forget(pod.key());
          failure = permitted.message();
        }
      } else {
        failure = ((Framework.Unschedulable) result).error().message();
      }
      long t1 = System.nanoTime();
      latencies[i] = t1 - t0;
      endedAt[i] = t1 - start;
      s.queue.done(pod.key()); // as if its binding had been written
      if (failure != null) {
        unschedulable++;
        firstFailure = firstFailure == null ? pod.key() + ": " + failure : firstFailure;
      }
    }
    return new Pass(latencies, endedAt, System.nanoTime() - start, evaluated, nodeOf, unschedulable, firstFailure);
  }

  /** Throughput as scheduler_perf reports it and the cycles' latencies. */
  void results(Pass pass) {
    int count = pass.latencies().length;
    double wall = pass.wallNanos() / 1e9;
    int fullSeconds = (int) (pass.wallNanos() / 1_000_000_000L);
    long[] samples = new long[fullSeconds];
    for (long t : pass.endedAt()) {
      int second = (int) (t / 1_000_000_000L);
      if (second < fullSeconds) {
        samples[second]++;
      }
    }
    Arrays.sort(samples);
    long[] lat = pass.latencies().clone();
    Arrays.sort(lat);
    int placed = count - pass.unschedulable();
    report.line("");
    report.line("| pods scheduled | wall s | average pods/s | 1 s samples | p50 pods/s | p90 pods/s | p99 pods/s "
        + "| cycle p50 / p99 / max µs | nodes filtered per cycle |");
    report.line("|---|---|---|---|---|---|---|---|---|");
    report.line("| " + placed + " | " + ApiBenchmark.fmt(wall) + " | " + ApiBenchmark.fmt(count / wall) + " | "
        + samples.length + " | " + sample(samples, 50) + " | " + sample(samples, 90) + " | " + sample(samples, 99)
        + " | " + micros(ApiBenchmark.pct(lat, 50)) + " / " + micros(ApiBenchmark.pct(lat, 99)) + " / "
        + micros(lat.length == 0 ? 0 : lat[lat.length - 1]) + " | "
        + (placed == 0 ? "-" : String.valueOf(Math.round((double) pass.evaluated() / placed))) + " |");
    report.line("");
  }

  private static String sample(long[] sorted, int percentile) {
    return sorted.length == 0 ? "-" : String.valueOf(ApiBenchmark.pct(sorted, percentile));
  }

  private static String micros(long nanos) {
    return ApiBenchmark.fmt(nanos / 1_000.0);
  }

  private static long heapUsedMb() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
  }
}
