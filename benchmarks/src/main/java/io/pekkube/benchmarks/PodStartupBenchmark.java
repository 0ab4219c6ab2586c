package io.pekkube.benchmarks;

import io.pekkube.node.runtime.ProcessRuntime;
import io.pekkube.persistence.journal.CassandraLauncher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Pod startup latency on the process runtime, as Kubernetes's SLO measures it (stateless pods, image
 * present: from creation to the pod observed Running through a watch; the SLO is p99 ≤ 5 s, our target
 * p99 ≤ 1 s). One {@code ./pekkube server} (control plane and worker: its own kubelet with the process
 * runtime) runs {@code --pods} pause pods (the catalogue's {@code registry.k8s.io/pause}, a real
 * {@code sleep} process each): created one by one at 5 pods/s, then {@code --bursts} times (default 2)
 * all at once by 16 clients, each burst on a node cleared of the pods before it (their containers cleaned up). The first bursts run much of their code hot for the first time (the JIT
 * compilers took a fifth to two fifths of the machine during them in profiles); later ones show a server
 * that has seen bursts before.
 * The latency is from the create request's send to the Running pod arriving on the watch, so it covers
 * the API write, scheduling, binding, the kubelet starting the process and writing the status.
 *
 * <p>Run with {@code benchmarks/run.sh pod-startup [--pods N] [--bursts N] [--server-java-opts "..."]} (the options are
 * added to the server's, e.g. a flight recording).
 */
public final class PodStartupBenchmark {
  static final Duration RUNNING_WAIT = Duration.ofMinutes(3);
  static final int PACED_PER_SECOND = 5;
  static final int BURST_CLIENTS = 16;

  private BenchmarkReport report;
  private LauncherProcess server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4, ApiBenchmark.daemon("http")))
      .build();

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("user.dir"));
    int pods = 100;
    String serverJavaOpts = "";
    int bursts = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--root" -> root = Path.of(args[++i]);
        case "--pods" -> pods = Integer.parseInt(args[++i]);
        case "--server-java-opts" -> serverJavaOpts = args[++i];
        case "--bursts" -> bursts = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    root = root.toAbsolutePath().normalize();
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path work = root.resolve("benchmarks/target/work-pod-startup-" + stamp);
    Path out = root.resolve("benchmarks/target/results");
    Files.createDirectories(work);
    Files.createDirectories(out);
    PodStartupBenchmark b = new PodStartupBenchmark();
    try {
      b.run(root, work, pods, bursts, serverJavaOpts);
    } finally {
      ProcessRuntime.killAllUnder(work.resolve("data").resolve("runtime"));
      Path file = out.resolve("results-pod-startup-" + stamp + ".md");
      if (b.report != null) {
        b.report.write(file);
      }
      System.out.println("Work directory: " + work);
    }
    System.exit(0);
  }

  void run(Path root, Path work, int pods, int bursts, String serverJavaOpts) throws Exception {
    report = new BenchmarkReport("Pekkube pod startup latency: " + pods + " pause pods on the process runtime, paced and burst");
    int api = CassandraLauncher.freePort();
    String javaOpts = ("-Xmx400m -Dpekkube.node.kubelet.max-pods=" + (pods + 10) + " " + serverJavaOpts).strip();
    server = LauncherProcess.start(root, work, "server", List.of("server", "--data-dir",
        work.resolve("data").toString(), "--api-port", String.valueOf(api), "--cluster-port",
        String.valueOf(CassandraLauncher.freePort()), "--store", "embedded", "--node-name", "startup-node"),
        Map.of("PEKKUBE_JAVA_OPTS", javaOpts), api, http, () -> true);
    try {
      report.line("- server: `./pekkube server --store embedded` (control plane and worker, process runtime) with "
          + "PEKKUBE_JAVA_OPTS=`" + javaOpts + "`");
      awaitNodeReady(api, "startup-node");
      try (PodWatch watch = PodWatch.open(http, api)) {
        report.line("");
        report.line("| phase | pods Running | create→201 p50 / p90 / p99 / max ms | create→bound p50 / p90 / p99 / max ms "
            + "| create→Running p50 / p90 / p99 / max ms | server CPU cores | server RSS after MB |");
        report.line("|---|---|---|---|---|---|---|");
        phase("paced, " + PACED_PER_SECOND + " pods/s", api, watch, pods, 1, "paced");
        for (int burst = 1; burst <= bursts; burst++) {
          clearNode(api, work.resolve("data").resolve("runtime").resolve("containers"));
          phase("burst " + burst + ", " + BURST_CLIENTS + " clients", api, watch, pods, BURST_CLIENTS, "burst" + burst);
        }
        report.line("");
      }
      deletePods(api);
    } finally {
      server.stop();
    }
  }

  void phase(String label, int api, PodWatch watch, int pods, int clients, String prefix) throws Exception {
    int before = watch.runningAt.size();
    ApiBenchmark.Cpu cpu = ApiBenchmark.Cpu.start(server.pid(), 0);
    long start = System.nanoTime();
    ConcurrentCreates creates = ConcurrentCreates.run(http, api, pods, clients, i -> {
      if (clients == 1) {
        pace(start, i);
      }
      return pod(prefix + "-" + i);
    }, Duration.ofMinutes(5));
    boolean running = watch.await(watch.runningAt, before + creates.created(), RUNNING_WAIT);
    ApiBenchmark.Cpu.Usage usage = cpu.stop();
    report.line("| " + label + " | " + (watch.runningAt.size() - before) + " of " + creates.created() + " | "
        + ConcurrentCreates.percentilesMs(creates.latenciesTo(creates.answeredAt)) + " | "
        + ConcurrentCreates.percentilesMs(creates.latenciesTo(watch.boundAt)) + " | "
        + ConcurrentCreates.percentilesMs(creates.latenciesTo(watch.runningAt)) + " | "
        + ApiBenchmark.fmt(usage.server()) + " | " + ApiBenchmark.rssMb(server.pid()) + " |");
    if (!running || creates.created() != pods) {
      report.line("");
      report.line("- **not every pod ran** within " + RUNNING_WAIT.toMinutes() + " min: " + creates.statuses() + "; watch: "
          + watch.failure());
      throw new IllegalStateException("pods did not all run");
    }
  }

  static void pace(long start, int i) {
    long due = start + i * (1_000_000_000L / PACED_PER_SECOND);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static ConcurrentCreates.Create pod(String name) {
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"default\"},\"spec\":{\"terminationGracePeriodSeconds\":1,\"containers\":[{\"name\":"
        + "\"pause\",\"image\":\"registry.k8s.io/pause:3.10\",\"resources\":{\"requests\":{\"cpu\":\"1m\","
        + "\"memory\":\"1Mi\"}}}]}}";
    return new ConcurrentCreates.Create("default/" + name, "/api/v1/namespaces/default/pods", json);
  }

  void awaitNodeReady(int api, String node) throws Exception {
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/api/v1/nodes/" + node))
        .GET().build();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200 && r.body().replace(" ", "").contains("\"type\":\"Ready\",\"status\":\"True\"")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("node " + node + " not Ready within 2 min");
  }

  /**
   * Before a burst: the pods of the phase before are deleted, and the runtime has cleaned up after every
   * one of their containers (state directory and cgroups gone), so every burst starts on a node running
   * none of the benchmark's pods (a node runs at most 110 pods by Kubernetes' default; piling the phases
   * up would measure a node with hundreds).
   */
  void clearNode(int api, Path containers) throws Exception {
    deletePods(api);
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline && hasEntries(containers)) {
      Thread.sleep(100);
    }
    if (hasEntries(containers)) {
      throw new IllegalStateException("the runtime still had containers in " + containers + " after 1 min");
    }
  }

  private static boolean hasEntries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    }
  }

  /** Deletes the benchmark's pods and waits until the kubelet has stopped them (at most 2 min). */
  void deletePods(int api) throws Exception {
    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api
        + "/api/v1/namespaces/default/pods?gracePeriodSeconds=1")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api
        + "/api/v1/namespaces/default/pods")).GET().build();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline
        && !http.send(list, HttpResponse.BodyHandlers.ofString()).body().replace(" ", "").contains("\"items\":[]")) {
      Thread.sleep(500);
    }
  }

}
