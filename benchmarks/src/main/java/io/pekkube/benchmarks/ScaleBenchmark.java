package io.pekkube.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkube.persistence.journal.CassandraLauncher;
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
 * The control plane at scale with simulated nodes (as kwok does for Kubernetes): a control-plane-only
 * {@code ./pekkube server} and one {@code ./pekkube agent --simulate N} worker JVM hosting {@code --nodes}
 * simulated kubelets (each with its Node, its Lease renewed every 10 s and the simulated runtime), then
 * {@code --pods} pods created by 16 clients, scheduled, and Running on the simulated nodes. Records the
 * control plane's RSS (and the agent's) empty, with the nodes, and with every pod Running, and how long
 * each step took.
 *
 * <p>Run with {@code benchmarks/run.sh scale [--nodes N] [--pods N] [--server-java-opts "-Xmx2g"] [--heap-dump]};
 * {@code --heap-dump} also writes the control plane's live heap to {@code server.hprof} and the agent's to
 * {@code agent.hprof} in the work directory at the end, to see what holds them.
 */
public final class ScaleBenchmark {
  static final int CLIENTS = 16;
  static final Duration NODES_WAIT = Duration.ofMinutes(5);
  static final Duration RUNNING_WAIT = Duration.ofMinutes(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchmarkReport report;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4, ApiBenchmark.daemon("http")))
      .build();

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("user.dir"));
    int nodes = 1_000;
    int pods = 30_000;
    String serverOpts = "-Xmx2g";
    // One JVM simulating every kubelet: about 300 MiB live at 30,000 pods (docs/benchmarks.md).
    String agentOpts = "-Xmx1g";
    boolean heapDump = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--root" -> root = Path.of(args[++i]);
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--pods" -> pods = Integer.parseInt(args[++i]);
        case "--server-java-opts" -> serverOpts = args[++i];
        case "--agent-java-opts" -> agentOpts = args[++i];
        case "--heap-dump" -> heapDump = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    root = root.toAbsolutePath().normalize();
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path work = root.resolve("benchmarks/target/work-scale-" + stamp);
    Path out = root.resolve("benchmarks/target/results");
    Files.createDirectories(work);
    Files.createDirectories(out);
    ScaleBenchmark b = new ScaleBenchmark();
    try {
      b.run(root, work, nodes, pods, serverOpts, agentOpts, heapDump);
    } finally {
      Path file = out.resolve("results-scale-" + stamp + ".md");
      if (b.report != null) {
        b.report.write(file);
      }
      System.out.println("Work directory: " + work);
    }
    System.exit(0);
  }

  void run(Path root, Path work, int nodes, int pods, String serverOpts, String agentOpts, boolean heapDump)
      throws Exception {
    report = new BenchmarkReport("Pekkube at scale: " + nodes + " simulated nodes, " + pods + " pods");
    int api = CassandraLauncher.freePort();
    int clusterPort = CassandraLauncher.freePort();
    LauncherProcess server = LauncherProcess.start(root, work, "server", List.of("server", "--data-dir",
        work.resolve("server").toString(), "--api-port", String.valueOf(api), "--cluster-port",
        String.valueOf(clusterPort), "--store", "embedded", "--roles", "control-plane", "--node-name", "cp"),
        Map.of("PEKKUBE_JAVA_OPTS", serverOpts), api, http, () -> true);
    LauncherProcess agent = null;
    try {
      report.line("- control plane: `./pekkube server --store embedded --roles control-plane` with PEKKUBE_JAVA_OPTS=`"
          + serverOpts + "`; worker: `./pekkube agent --simulate " + nodes + "` with PEKKUBE_JAVA_OPTS=`" + agentOpts
          + "`; " + CLIENTS + " creating clients");
      report.line("");
      report.line("| step | took s | control-plane RSS MB | agent RSS MB | control-plane CPU cores during the step "
          + "| control-plane GC s (young / full) | load average |");
      report.line("|---|---|---|---|---|---|---|");
      report.line("| control plane ready, empty | – | " + rss(server) + " | – | – | "
          + gcSeconds(server.pid()) + " | " + ApiBenchmark.loadAvg() + " |");

      long t0 = System.nanoTime();
      ApiBenchmark.Cpu cpu = ApiBenchmark.Cpu.start(server.pid(), 0);
      agent = LauncherProcess.start(root, work, "agent", List.of("agent", "--seed", "127.0.0.1:" + clusterPort,
          "--cluster-port", String.valueOf(CassandraLauncher.freePort()), "--node-name", "sim", "--data-dir",
          work.resolve("agent").toString(), "--simulate", String.valueOf(nodes)),
          Map.of("PEKKUBE_JAVA_OPTS", agentOpts), -1, http, () -> true);
      int ready = awaitReadyNodes(api, nodes);
      step(nodes + " simulated nodes Ready (" + ready + ")", t0, cpu, server, agent);
      report.check(ready == nodes, "every simulated node Ready within " + NODES_WAIT.toMinutes() + " min");

      try (PodWatch watch = PodWatch.open(http, api)) {
        t0 = System.nanoTime();
        cpu = ApiBenchmark.Cpu.start(server.pid(), 0);
        ConcurrentCreates creates = ConcurrentCreates.run(http, api, pods, CLIENTS, ScaleBenchmark::pod,
            Duration.ofMinutes(20));
        step(creates.created() + " pods created (" + ApiBenchmark.fmt(creates.perSecond()) + "/s)", t0, cpu, server,
            agent);
        long t1 = System.nanoTime();
        cpu = ApiBenchmark.Cpu.start(server.pid(), 0);
        boolean allRunning = watch.await(watch.runningAt, creates.created(), RUNNING_WAIT);
        step(watch.runningAt.size() + " pods Running (then " + watch.boundAt.size() + " bound)", t1, cpu, server, agent);
        report.line("");
        report.line("- creates: " + creates.statuses());
        report.line("- create→bound p50 / p90 / p99 / max ms: " + ConcurrentCreates.percentilesMs(
            creates.latenciesTo(watch.boundAt)) + "; create→Running: " + ConcurrentCreates.percentilesMs(
            creates.latenciesTo(watch.runningAt)));
        Thread.sleep(30_000); // a steady state: leases and statuses only
        report.line("- after 30 s more of steady state (leases renewed, nothing else): control-plane RSS "
            + rss(server) + " MB, agent RSS " + rss(agent) + " MB, GC s "
            + gcSeconds(server.pid()) + ", agent GC s (young / full) "
            + (agent.process().isAlive() ? gcSeconds(agent.pid()) : "exited"));
        // Measured before the checks: where the memory goes matters most when the run fell short.
        report.line("- control-plane heap after a full GC: " + heapAfterGc(server.pid()) + "; class histogram in "
            + saveHistogram(server.pid(), work.resolve("server-histogram.txt")));
        if (agent.process().isAlive()) {
          report.line("- agent heap after a full GC: " + heapAfterGc(agent.pid()) + ", RSS then " + rss(agent)
              + " MB; class histogram in " + saveHistogram(agent.pid(), work.resolve("agent-histogram.txt")));
        }
        if (heapDump) {
          ApiBenchmark.jcmd(server.pid(), "GC.heap_dump " + work.resolve("server.hprof"));
          if (agent.process().isAlive()) {
            ApiBenchmark.jcmd(agent.pid(), "GC.heap_dump " + work.resolve("agent.hprof"));
          }
        }
        report.check(creates.created() == pods && allRunning, "every pod created and Running within "
            + RUNNING_WAIT.toMinutes() + " min (" + watch.failure() + ")");
      }
    } finally {
      if (agent != null) {
        agent.stop();
      }
      server.stop();
    }
  }

  void step(String what, long t0, ApiBenchmark.Cpu cpu, LauncherProcess server, LauncherProcess agent) {
    report.line("| " + what + " | " + ApiBenchmark.fmt((System.nanoTime() - t0) / 1e9) + " | "
        + rss(server) + " | " + rss(agent) + " | "
        + ApiBenchmark.fmt(cpu.stop().server()) + " | " + gcSeconds(server.pid()) + " | " + ApiBenchmark.loadAvg()
        + " |");
  }

  /** The process's RSS in MB, or "exited" (the agent may be downed and exit, and the run goes on to its figures). */
  static String rss(LauncherProcess p) {
    return p.process().isAlive() ? String.valueOf(ApiBenchmark.rssMb(p.pid())) : "exited";
  }

  /** The JVM's collection time so far, young and full, from {@code jstat -gc} (YGCT, FGCT). */
  static String gcSeconds(long pid) {
    try {
      Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
      Process p = new ProcessBuilder(Files.exists(jstat) ? jstat.toString() : "jstat", "-gc", String.valueOf(pid))
          .redirectErrorStream(true).start();
      List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
      p.waitFor();
      List<String> names = List.of(lines.get(0).trim().split("\\s+"));
      String[] values = lines.get(1).trim().split("\\s+");
      return values[names.indexOf("YGCT")] + " / " + values[names.indexOf("FGCT")];
    } catch (Exception e) {
      return "?";
    }
  }

  /** A process's class histogram (live objects), written to {@code file}; answers the file's name. */
  static String saveHistogram(long pid, Path file) {
    try {
      Files.writeString(file, ApiBenchmark.jcmd(pid, "GC.class_histogram"));
      return file.getFileName().toString();
    } catch (Exception e) {
      return "? (" + e + ")";
    }
  }

  /** The number of Ready nodes once it reaches {@code count} or the wait ends. */
  int awaitReadyNodes(int api, int count) throws Exception {
    HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/api/v1/nodes")).GET().build();
    long deadline = System.nanoTime() + NODES_WAIT.toNanos();
    int ready = 0;
    while (System.nanoTime() < deadline) {
      JsonNode items = JSON.readTree(http.send(list, HttpResponse.BodyHandlers.ofString()).body()).path("items");
      ready = 0;
      for (JsonNode node : items) {
        for (JsonNode c : node.path("status").path("conditions")) {
          if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
            ready++;
          }
        }
      }
      if (ready >= count) {
        return ready;
      }
      Thread.sleep(2_000);
    }
    return ready;
  }

  static ConcurrentCreates.Create pod(int i) {
    String name = "p-" + i;
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"default\",\"labels\":{\"app\":\"scale\"}},\"spec\":{\"containers\":[{\"name\":\"app\","
        + "\"image\":\"registry.k8s.io/pause:3.10\",\"resources\":{\"requests\":{\"cpu\":\"10m\","
        + "\"memory\":\"10Mi\"}}}]}}";
    return new ConcurrentCreates.Create("default/" + name, "/api/v1/namespaces/default/pods", json);
  }

  static String heapAfterGc(long pid) {
    try {
      ApiBenchmark.jcmd(pid, "GC.run");
      String info = ApiBenchmark.jcmd(pid, "GC.heap_info");
      return info.lines().filter(l -> l.contains("used")).findFirst().orElse(info).trim();
    } catch (Exception e) {
      return "? (" + e + ")";
    }
  }


}
