package io.pekkube.benchmarks;

import io.pekkube.persistence.journal.CassandraLauncher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Scheduler throughput in the style of Kubernetes's scheduler_perf {@code SchedulingBasic}: a
 * control-plane-only {@code ./pekkube server} (no kubelet), {@code --nodes} Node objects created through
 * the API (capacity cpu 4, memory 32Gi, pods 110, Ready, ten zones; like scheduler_perf's fake nodes, no
 * kubelet renews them, so the node lifecycle grace period is set to 24 h), {@code --init-pods} pods
 * created and bound first, then {@code --pods} measured pods created by {@code --clients} closed-loop
 * clients while the scheduler places them.
 *
 * <p>Figures, all from a watch on pods (what a client sees): throughput as scheduler_perf reports it
 * (the number of measured pods newly bound in each second from the first create to the last binding;
 * average, and percentiles of those per-second samples sorted ascending) and the latency from each
 * pod's create request to its binding arriving on the watch.
 *
 * <p>Workloads ({@code --workload}): {@code basic} (scheduler_perf's pod-default: one container requesting
 * cpu 100m, memory 500Mi), {@code anti-affinity} (plus required pod anti-affinity on the hostname against
 * its own label, so at most one per node) and {@code topology-spread} (plus a zone spread constraint,
 * maxSkew 1, DoNotSchedule). Run with {@code benchmarks/run.sh scheduler [--workload W] [--nodes N] ...}.
 */
public final class SchedulerBenchmark {
  static final Duration CREATE_LIMIT = Duration.ofMinutes(10);
  static final Duration BIND_WAIT = Duration.ofMinutes(5);

  private BenchmarkReport report;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4, ApiBenchmark.daemon("http")))
      .build();

  public static void main(String[] args) throws Exception {
    SchedulingFlags flags = new SchedulingFlags(args, List.of("--clients", "--server-java-opts"));
    Path root = Path.of(flags.root());
    int clients = flags.get("--clients", 16);
    String heap = flags.get("--server-java-opts", "-Xmx1g");
    String workload = flags.workload();
    if (!List.of("basic", "anti-affinity", "topology-spread").contains(workload)) {
      throw new IllegalArgumentException("--workload must be basic, anti-affinity or topology-spread");
    }
    root = root.toAbsolutePath().normalize();
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path work = root.resolve("benchmarks/target/work-scheduler-" + stamp);
    Path out = root.resolve("benchmarks/target/results");
    Files.createDirectories(work);
    Files.createDirectories(out);
    SchedulerBenchmark b = new SchedulerBenchmark();
    try {
      b.run(root, work, workload, flags.nodes(), flags.initPods(), flags.pods(), clients, heap);
    } finally {
      Path file = out.resolve("results-scheduler-" + workload + "-" + stamp + ".md");
      if (b.report != null) {
        b.report.write(file);
      }
      System.out.println("Work directory: " + work);
    }
    System.exit(0);
  }

  void run(Path root, Path work, String workload, int nodes, int initPods, int pods, int clients, String javaOpts)
      throws Exception {
    report = new BenchmarkReport("Pekkube scheduler throughput: " + workload + ", " + nodes + " nodes, " + initPods
        + " pods placed, " + pods + " pods measured");
    int api = CassandraLauncher.freePort();
    LauncherProcess server = LauncherProcess.start(root, work, "server", List.of("server", "--data-dir",
        work.resolve("data").toString(), "--api-port", String.valueOf(api), "--cluster-port",
        String.valueOf(CassandraLauncher.freePort()), "--store", "embedded", "--roles", "control-plane",
        "--node-name", "bench", "--node-monitor-grace-period", "24h"),
        Map.of("PEKKUBE_JAVA_OPTS", javaOpts), api, http, () -> true);
    try {
      report.line("- server: `./pekkube server --store embedded --roles control-plane --node-monitor-grace-period 24h` with "
          + "PEKKUBE_JAVA_OPTS=`" + javaOpts + "`; " + clients + " creating clients (HTTP/1.1, loopback, same machine)");
      post(api, "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"bench\"}}");

      ConcurrentCreates nodeCreates = ConcurrentCreates.run(http, api, nodes, clients, i -> new ConcurrentCreates.Create(
          "/node-" + i, "/api/v1/nodes", node(i)), CREATE_LIMIT);
      report.line("- nodes: " + nodeCreates.created() + " created at " + ApiBenchmark.fmt(nodeCreates.perSecond()) + "/s; "
          + nodeCreates.statuses());
      report.check(nodeCreates.created() == nodes, "every node created");

      try (PodWatch watch = PodWatch.open(http, api)) {
        long t0 = System.nanoTime();
        ConcurrentCreates init = ConcurrentCreates.run(http, api, initPods, clients,
            i -> pod("init-" + i, workload), CREATE_LIMIT);
        boolean initBound = watch.await(watch.boundAt, init.created(), BIND_WAIT);
        report.line("- init pods: " + init.created() + " created and " + watch.boundAt.size() + " bound in "
            + ApiBenchmark.ms(System.nanoTime() - t0) + " ms; " + init.statuses());
        report.check(initBound && init.created() == initPods, "every init pod bound (" + watch.failure() + ")");

        ApiBenchmark.Cpu cpu = ApiBenchmark.Cpu.start(server.pid(), 0);
        ConcurrentCreates measured = ConcurrentCreates.run(http, api, pods, clients,
            i -> pod("p-" + i, workload), CREATE_LIMIT);
        boolean allBound = watch.await(watch.boundAt, init.created() + measured.created(), BIND_WAIT);
        ApiBenchmark.Cpu.Usage usage = cpu.stop();
        report.line("- measured pods: " + measured.created() + " created at " + ApiBenchmark.fmt(measured.perSecond())
            + "/s (the creates and the scheduler share the 2 cores); " + measured.statuses());
        report.line("- server CPU during the measured phase: " + ApiBenchmark.fmt(usage.server()) + " cores, benchmark client "
            + ApiBenchmark.fmt(usage.self()) + " cores, machine busy " + ApiBenchmark.fmt(usage.machineBusyPct())
            + " %; server RSS after: " + ApiBenchmark.rssMb(server.pid()) + " MB; load average after: "
            + ApiBenchmark.loadAvg());
        results(measured, watch);
        report.check(allBound, "every measured pod bound within " + BIND_WAIT.toMinutes() + " min after the last create"
            + " (bound " + (watch.boundAt.size() - init.created()) + " of " + measured.created() + "; "
            + watch.failure() + ")");
        placement(report, workload, watch.nodeOf);
      }
    } finally {
      server.stop();
    }
  }

  /** Throughput and latency of the measured pods, as scheduler_perf reports them. */
  void results(ConcurrentCreates measured, PodWatch watch) {
    long first = measured.sentAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
    long[] lat = measured.latenciesTo(watch.boundAt);
    long last = first;
    Map<Integer, Integer> perSecond = new HashMap<>();
    for (String key : measured.sentAt.keySet()) {
      Long bound = watch.boundAt.get(key);
      if (bound != null) {
        last = Math.max(last, bound);
        perSecond.merge((int) ((bound - first) / 1_000_000_000L), 1, Integer::sum);
      }
    }
    int seconds = (int) ((last - first) / 1_000_000_000L) + 1;
    long[] samples = new long[seconds];
    perSecond.forEach((s, n) -> samples[s] = n);
    Arrays.sort(samples);
    double wall = (last - first) / 1e9;
    report.line("");
    report.line("| pods bound | wall s | average pods/s | p50 pods/s | p90 pods/s | p99 pods/s "
        + "| create→bound p50 / p90 / p99 / max ms |");
    report.line("|---|---|---|---|---|---|---|");
    report.line("| " + lat.length + " | " + ApiBenchmark.fmt(wall) + " | " + ApiBenchmark.fmt(lat.length / wall) + " | "
        + ApiBenchmark.pct(samples, 50) + " | " + ApiBenchmark.pct(samples, 90) + " | " + ApiBenchmark.pct(samples, 99)
        + " | " + ConcurrentCreates.percentilesMs(lat) + " |");
    report.line("");
  }

  /** What the workload promises about where pods go, checked on the final placement (pod key → node name). */
  static void placement(BenchmarkReport report, String workload, Map<String, String> nodeOf) {
    Map<String, Integer> perNode = new HashMap<>();
    Map<Integer, Integer> perZone = new HashMap<>();
    nodeOf.forEach((pod, node) -> {
      perNode.merge(node, 1, Integer::sum);
      perZone.merge(Integer.parseInt(node.substring("node-".length())) % ZONES, 1, Integer::sum);
    });
    int maxPerNode = perNode.values().stream().max(Integer::compare).orElse(0);
    int skew = perZone.values().stream().max(Integer::compare).orElse(0)
        - (perZone.size() < ZONES ? 0 : perZone.values().stream().min(Integer::compare).orElse(0));
    report.line("- placement: " + perNode.size() + " nodes used, at most " + maxPerNode + " pods on a node, zone counts "
        + perZone.values() + " (skew " + skew + ")");
    switch (workload) {
      case "anti-affinity" -> report.check(maxPerNode <= 1, "pod anti-affinity: at most one pod per node");
      case "topology-spread" -> report.check(skew <= 1, "zone spread: skew at most 1");
      default -> report.check(maxPerNode <= 65, "no node over its memory (32Gi / 500Mi = 65 pods)");
    }
  }

  static final int ZONES = 10;

  static String node(int i) {
    String now = Instant.now().toString();
    String resources = "{\"cpu\":\"4\",\"memory\":\"32Gi\",\"pods\":\"110\"}";
    return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-" + i + "\",\"labels\":{"
        + "\"kubernetes.io/hostname\":\"node-" + i + "\",\"kubernetes.io/os\":\"linux\","
        + "\"topology.kubernetes.io/zone\":\"zone-" + (i % ZONES) + "\"}},"
        + "\"status\":{\"capacity\":" + resources + ",\"allocatable\":" + resources + ",\"conditions\":[{\"type\":"
        + "\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\",\"lastHeartbeatTime\":\"" + now
        + "\",\"lastTransitionTime\":\"" + now + "\"}]}}";
  }

  static ConcurrentCreates.Create pod(String name, String workload) {
    String labels = switch (workload) {
      case "anti-affinity" -> "{\"color\":\"green\"}";
      case "topology-spread" -> "{\"app\":\"spread\"}";
      default -> "{\"app\":\"basic\"}";
    };
    String placement = switch (workload) {
      case "anti-affinity" -> ",\"affinity\":{\"podAntiAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
          + "[{\"labelSelector\":{\"matchLabels\":{\"color\":\"green\"}},\"topologyKey\":\"kubernetes.io/hostname\"}]}}";
      case "topology-spread" -> ",\"topologySpreadConstraints\":[{\"maxSkew\":1,\"topologyKey\":"
          + "\"topology.kubernetes.io/zone\",\"whenUnsatisfiable\":\"DoNotSchedule\",\"labelSelector\":"
          + "{\"matchLabels\":{\"app\":\"spread\"}}}]";
      default -> "";
    };
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"bench\",\"labels\":" + labels + "},\"spec\":{\"containers\":[{\"name\":\"pause\","
        + "\"image\":\"registry.k8s.io/pause:3.10\",\"ports\":[{\"containerPort\":80}],\"resources\":{"
        + "\"requests\":{\"cpu\":\"100m\",\"memory\":\"500Mi\"},\"limits\":{\"cpu\":\"100m\",\"memory\":\"500Mi\"}}}]"
        + placement + "}}";
    return new ConcurrentCreates.Create("bench/" + name, "/api/v1/namespaces/bench/pods", json);
  }

  void post(int api, String path, String json) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    report.check(r.statusCode() == 201, "POST " + path + " answered " + r.statusCode()
        + (r.statusCode() == 201 ? "" : ": " + r.body()));
  }


}
