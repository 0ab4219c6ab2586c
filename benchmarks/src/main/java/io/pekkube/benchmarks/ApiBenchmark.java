package io.pekkube.benchmarks;

import io.pekkube.persistence.journal.CassandraLauncher;
import io.pekkube.persistence.journal.CassandraSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A runnable benchmark of one Pekkube server process (started with the {@code ./pekkube server} launcher)
 * over loopback HTTP: create throughput and latency with 1 and 64 clients, open-loop mutating latency at
 * 500 creates/s, write-to-watch-event latency with 100 open watches, start-up time and RSS.
 *
 * <p>Not a test: run it with {@code benchmarks/run.sh [embedded|cassandra|all]}. Every phase is bounded in
 * count and in time. Results go to stdout and to {@code --out} (a Markdown file per store).
 *
 * <p>Arguments: {@code --store embedded|cassandra}, {@code --root <repo>} (default: working directory),
 * {@code --out <dir>} (default: {@code <root>/benchmarks/target/results}), {@code --scale <factor>} to
 * shrink every count and duration (e.g. 0.1 for a smoke run).
 */
public final class ApiBenchmark {

  // ---- the plan (every phase bounded in count and in time) ----
  static final int WARMUP_CREATES = 1_000;
  static final int WARMUP_CLIENTS = 16;
  static final int SERIAL_CREATES = 3_000;
  static final int PARALLEL_CREATES = 6_000; // warm-up + serial + parallel = 10,000 objects for the RSS point
  static final int PARALLEL_CLIENTS = 64;
  static final Duration CLOSED_LOOP_LIMIT = Duration.ofSeconds(120);
  static final int OPEN_LOOP_RATE = 500;
  static final Duration OPEN_LOOP_DURATION = Duration.ofSeconds(20);
  static final int OPEN_LOOP_MAX_IN_FLIGHT = 1_000;
  static final int WATCHES = 100;
  static final int WATCH_RATE = 20; // well below the write capacity, so the figure is delivery, not write queueing
  static final Duration WATCH_DURATION = Duration.ofSeconds(20);
  static final int STARTUP_RUNS = 3;
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final int PAYLOAD_CHARS = 850; // the ConfigMap JSON is ~1 KiB with metadata

  static final String TARGET_CREATES = ">= 1,000 creates/s at 64 clients (Cassandra)";
  static final String TARGET_MUTATING = "mutating p99 <= 100 ms at 500 creates/s";
  static final String TARGET_WATCH = "watch delivery p99 <= 50 ms";
  static final String TARGET_READY = "ready <= 5 s (embedded)";
  static final String TARGET_RSS = "RSS <= 512 MB with 10,000 ConfigMaps";

  private static final Pattern READY = Pattern.compile("ready (\\d+) ms after the JVM started");
  private static final Pattern TS = Pattern.compile("\"ts\":\"(\\d+)\"");
  private static final String PAYLOAD = "x".repeat(PAYLOAD_CHARS);

  private final Path root;
  private final String store;
  private final Path work;
  private final double scale;
  private final HttpClient http;
  private final StringBuilder report = new StringBuilder();
  private final Map<String, String> summary = new LinkedHashMap<>();
  private CassandraLauncher cassandra;
  private Server server;
  private int objects;

  ApiBenchmark(Path root, String store, Path work, double scale) {
    this.root = root;
    this.store = store;
    this.work = work;
    this.scale = scale;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .executor(Executors.newFixedThreadPool(4, daemon("http-client")))
        .build();
  }

  public static void main(String[] args) throws Exception {
    String store = "embedded";
    Path root = Path.of(System.getProperty("user.dir"));
    Path out = null;
    double scale = 1.0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--store" -> store = args[++i];
        case "--root" -> root = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--scale" -> scale = Double.parseDouble(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (!store.equals("embedded") && !store.equals("cassandra")) {
      throw new IllegalArgumentException("--store embedded|cassandra");
    }
    root = root.toAbsolutePath().normalize();
    if (out == null) {
      out = root.resolve("benchmarks/target/results");
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path work = root.resolve("benchmarks/target/work-" + store + "-" + stamp);
    Files.createDirectories(work);
    Files.createDirectories(out);
    ApiBenchmark b = new ApiBenchmark(root, store, work, scale);
    try {
      b.run();
    } finally {
      b.stopAll();
      Path file = out.resolve("results-" + store + "-" + stamp + ".md");
      Files.writeString(file, b.report.toString());
      System.out.println();
      System.out.println("Results written to " + file + " (server log and thread dumps in " + work + ")");
    }
    System.exit(0);
  }

  // ------------------------------------------------------------------------------------------------

  void run() throws Exception {
    line("# Pekkube API benchmark, store: " + store);
    line("");
    line("- date: " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
    line("- machine: nproc=" + Runtime.getRuntime().availableProcessors() + ", " + memTotal()
        + ", java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    line("- server: `PEKKUBE_NO_BUILD=1 ./pekkube server --store " + storeArg(0)
        + "` (default JVM options, PEKKUBE_JAVA_OPTS=" + System.getenv().getOrDefault("PEKKUBE_JAVA_OPTS", "") + ")");
    line("- scale: " + scale + ", load average at start: " + loadAvg());
    line("");

    if (store.equals("embedded")) {
      startupRuns();
    }
    String storeArg = "embedded";
    if (store.equals("cassandra")) {
      long t = System.nanoTime();
      cassandra = CassandraLauncher.start(work.resolve("cassandra"), CassandraLauncher.freePort(),
          CassandraLauncher.libDirFromEnvironment());
      CassandraSchema.create(cassandra.host(), cassandra.cqlPort());
      line("Cassandra 5.0.6 started (pid " + cassandra.pid() + ", CQL 127.0.0.1:" + cassandra.cqlPort()
          + ") with the schema in " + ms(System.nanoTime() - t) + " ms; commitlog_sync periodic (10 s).");
      line("");
      storeArg = storeArg(cassandra.cqlPort());
    }
    server = Server.start(root, work.resolve("server"), storeArg, work.resolve("server.log"), http);
    line("## Start of the benchmarked server");
    line("");
    line("- `ready N ms after the JVM started` printed by the server: " + server.readyPrintedMs + " ms");
    line("- wall time from process start to /readyz 200: " + server.readyWallMs + " ms");
    line("- RSS right after ready: " + rssMb(server.pid()) + " MB");
    line("");
    summary.put("ready (benchmarked server, printed / wall)", server.readyPrintedMs + " ms / " + server.readyWallMs + " ms");

    createNamespace("bench");
    createNamespace("bench-watch");

    line("## Creates (closed loop; latency per request, from send to response)");
    line("");
    line("| phase | clients | creates | ok | errors | wall s | creates/s | p50 ms | p90 ms | p99 ms | max ms | server CPU cores | "
        + (cassandra != null ? "cassandra CPU cores | " : "") + "bench CPU cores | machine busy % | load avg after |");
    line("|---|---|---|---|---|---|---|---|---|---|---|---|" + (cassandra != null ? "---|" : "") + "---|---|---|");
    Result warm = closedLoop("warm-up (JIT)", "warm", WARMUP_CLIENTS, n(WARMUP_CREATES));
    Result serial = closedLoop("1 client", "serial", 1, n(SERIAL_CREATES));
    Result parallel = closedLoop("64 clients", "par", PARALLEL_CLIENTS, n(PARALLEL_CREATES), true);
    line("");
    summary.put("creates/s, 1 client (p50/p99 ms)", fmt(serial.rate()) + " (" + fmt(serial.p(50)) + " / " + fmt(serial.p(99)) + ")");
    summary.put("creates/s, 64 clients (p50/p99 ms)", fmt(parallel.rate()) + " (" + fmt(parallel.p(50)) + " / " + fmt(parallel.p(99)) + ")");
    errorsLine(warm, serial, parallel);

    long rss = rssMb(server.pid());
    String heap = jcmd(server.pid(), "GC.heap_info");
    jcmd(server.pid(), "GC.run");
    Thread.sleep(2_000);
    long rssAfterGc = rssMb(server.pid());
    line("## RSS with " + objects + " ConfigMaps (after the create phases)");
    line("");
    line("- VmRSS of the server JVM: " + rss + " MB");
    line("- VmRSS after a full GC (`jcmd <pid> GC.run`, then 2 s): " + rssAfterGc + " MB");
    line("- heap before the GC (`jcmd GC.heap_info`): `" + firstLines(heap, 2).replace('\n', ' ') + "`");
    if (cassandra != null) {
      line("- VmRSS of the Cassandra JVM (not counted in the target): " + rssMb(cassandra.pid()) + " MB");
    }
    line("");
    summary.put("RSS with " + objects + " ConfigMaps (as is / after full GC)", rss + " MB / " + rssAfterGc + " MB");

    line("## Mutating latency at a fixed rate (open loop, " + OPEN_LOOP_RATE + " creates/s for "
        + n(OPEN_LOOP_DURATION).toSeconds() + " s)");
    line("");
    line("Latency is measured from the *scheduled* send time (no coordinated omission) and, for reference, "
        + "from the actual send.");
    line("");
    OpenLoop ol = openLoop(OPEN_LOOP_RATE, n(OPEN_LOOP_DURATION));
    line("");
    summary.put("mutating p50/p99 at " + OPEN_LOOP_RATE + "/s (achieved rate)", fmt(ol.fromSchedule.p(50)) + " / "
        + fmt(ol.fromSchedule.p(99)) + " ms (" + fmt(ol.fromSchedule.rate()) + "/s)");

    line("## Write-to-watch-event latency (" + WATCHES + " watches, " + WATCH_RATE + " creates/s for "
        + n(WATCH_DURATION).toSeconds() + " s)");
    line("");
    watchPhase();
    line("");

    long rssEnd = rssMb(server.pid());
    line("## End");
    line("");
    line("- VmRSS of the server JVM at the end with " + objects + " ConfigMaps: " + rssEnd + " MB");
    line("- load average at the end: " + loadAvg());
    line("");
    summary.put("RSS at the end with " + objects + " ConfigMaps", rssEnd + " MB");

    line("## Summary");
    line("");
    line("| figure | value |");
    line("|---|---|");
    summary.forEach((k, v) -> line("| " + k + " | " + v + " |"));
    line("");
    line("Targets: " + TARGET_CREATES + "; " + TARGET_MUTATING + "; " + TARGET_WATCH + "; " + TARGET_READY + "; " + TARGET_RSS + ".");
  }

  String storeArg(int port) {
    return store.equals("embedded") ? "embedded" : "cassandra://127.0.0.1:" + (port == 0 ? "PORT" : port);
  }

  // ---- 4. start-up ----

  void startupRuns() throws Exception {
    line("## Start-up on the embedded store (fresh data directory each time, server stopped after ready)");
    line("");
    line("| run | printed `ready N ms after the JVM started` | wall: process start to /readyz 200 | load avg before |");
    line("|---|---|---|---|");
    List<Long> printed = new ArrayList<>();
    List<Long> wall = new ArrayList<>();
    for (int i = 1; i <= STARTUP_RUNS; i++) {
      String load = loadAvg();
      Server s = Server.start(root, work.resolve("startup-" + i), "embedded", work.resolve("startup-" + i + ".log"), http);
      s.stop();
      printed.add(s.readyPrintedMs);
      wall.add(s.readyWallMs);
      line("| " + i + " | " + s.readyPrintedMs + " ms | " + s.readyWallMs + " ms | " + load + " |");
    }
    line("");
    summary.put("ready on embedded, printed (min/median/max of " + STARTUP_RUNS + ")", minMedMax(printed));
    summary.put("ready on embedded, wall to /readyz (min/median/max)", minMedMax(wall));
  }

  // ---- 1. closed loop ----

  Result closedLoop(String label, String prefix, int clients, int count) throws Exception {
    return closedLoop(label, prefix, clients, count, false);
  }

  Result closedLoop(String label, String prefix, int clients, int count, boolean sample) throws Exception {
    Cpu cpu = Cpu.start(server.pid(), cassandra == null ? -1 : cassandra.pid());
    AtomicInteger next = new AtomicInteger();
    Result r = new Result(count);
    long deadline = System.nanoTime() + n(CLOSED_LOOP_LIMIT).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients, daemon("client-" + prefix));
    CountDownLatch done = new CountDownLatch(clients);
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      pool.execute(() -> {
        try {
          int i;
          while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            int status;
            String body;
            try {
              HttpResponse<String> resp = http.send(createRequest("bench", prefix + "-" + i, t0),
                  HttpResponse.BodyHandlers.ofString());
              status = resp.statusCode();
              body = resp.body();
            } catch (IOException e) {
              status = -1;
              body = e.toString();
            } catch (InterruptedException e) {
              return;
            }
            r.record(System.nanoTime() - t0, status, body);
          }
        } finally {
          done.countDown();
        }
      });
    }
    if (sample) {
      sampleThreads(prefix, done);
    }
    done.await();
    r.wallNanos = System.nanoTime() - start;
    pool.shutdownNow();
    objects += r.ok.get();
    Cpu.Usage u = cpu.stop();
    line("| " + label + " | " + clients + " | " + r.attempted() + " | " + r.ok.get() + " | " + r.errors() + " | "
        + fmt(r.wallNanos / 1e9) + " | " + fmt(r.rate()) + " | " + fmt(r.p(50)) + " | " + fmt(r.p(90)) + " | "
        + fmt(r.p(99)) + " | " + fmt(r.p(100)) + " | " + fmt(u.server()) + " | "
        + (cassandra != null ? fmt(u.cassandra()) + " | " : "") + fmt(u.self()) + " | " + fmt(u.machineBusyPct())
        + " | " + loadAvg() + " |");
    return r;
  }

  /** Three thread dumps of the server during the 64-client phase, for the write-up. */
  void sampleThreads(String prefix, CountDownLatch done) throws InterruptedException {
    for (int k = 1; k <= 3; k++) {
      if (done.await(1_500, TimeUnit.MILLISECONDS)) {
        return;
      }
      try {
        Files.writeString(work.resolve("threads-" + prefix + "-" + k + ".txt"), jcmd(server.pid(), "Thread.print"));
        if (cassandra != null) {
          Files.writeString(work.resolve("cassandra-threads-" + prefix + "-" + k + ".txt"),
              jcmd(cassandra.pid(), "Thread.print"));
        }
      } catch (IOException e) {
        System.err.println("thread dump failed: " + e);
      }
    }
  }

  // ---- 2. open loop ----

  record OpenLoop(Result fromSchedule, Result fromSend) {}

  OpenLoop openLoop(int rate, Duration duration) throws Exception {
    Cpu cpu = Cpu.start(server.pid(), cassandra == null ? -1 : cassandra.pid());
    int count = (int) (rate * duration.toSeconds());
    Result fromSchedule = new Result(count);
    Result fromSend = new Result(count);
    Semaphore inFlight = new Semaphore(OPEN_LOOP_MAX_IN_FLIGHT);
    AtomicInteger capHits = new AtomicInteger();
    AtomicLong maxBehind = new AtomicLong();
    long intervalNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long hardDeadline = start + duration.toNanos() + Duration.ofSeconds(60).toNanos();
    for (int i = 0; i < count; i++) {
      long scheduled = start + i * intervalNanos;
      long now;
      while ((now = System.nanoTime()) < scheduled) {
        long wait = scheduled - now;
        if (wait > 200_000) {
          TimeUnit.NANOSECONDS.sleep(wait - 100_000);
        } else {
          Thread.onSpinWait();
        }
      }
      if (now > hardDeadline) {
        break;
      }
      maxBehind.accumulateAndGet(now - scheduled, Math::max);
      if (!inFlight.tryAcquire()) {
        capHits.incrementAndGet();
        inFlight.acquire();
      }
      long sent = System.nanoTime();
      http.sendAsync(createRequest("bench", "ol-" + i, sent), HttpResponse.BodyHandlers.ofString())
          .whenComplete((resp, err) -> {
            long end = System.nanoTime();
            int status = err != null ? -1 : resp.statusCode();
            String body = err != null ? err.toString() : resp.body();
            fromSchedule.record(end - scheduled, status, body);
            fromSend.record(end - sent, status, body);
            inFlight.release();
          });
    }
    long sendEnd = System.nanoTime();
    if (!inFlight.tryAcquire(OPEN_LOOP_MAX_IN_FLIGHT, 90, TimeUnit.SECONDS)) {
      System.err.println("open loop: requests still in flight after 90 s");
    } else {
      inFlight.release(OPEN_LOOP_MAX_IN_FLIGHT);
    }
    fromSchedule.wallNanos = System.nanoTime() - start;
    fromSend.wallNanos = fromSchedule.wallNanos;
    objects += fromSchedule.ok.get();
    Cpu.Usage u = cpu.stop();
    line("| measured from | requests | ok | errors | achieved rate /s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
    line("|---|---|---|---|---|---|---|---|---|---|");
    for (Result r : List.of(fromSchedule, fromSend)) {
      line("| " + (r == fromSchedule ? "scheduled send" : "actual send") + " | " + r.attempted() + " | " + r.ok.get() + " | " + r.errors() + " | "
          + fmt(r.rate()) + " | " + fmt(r.p(50)) + " | " + fmt(r.p(90)) + " | " + fmt(r.p(99)) + " | "
          + fmt(r.p(99.9)) + " | " + fmt(r.p(100)) + " |");
    }
    line("");
    line("- sending took " + fmt((sendEnd - start) / 1e9) + " s for " + fromSchedule.attempted() + " requests; the sender "
        + "was at most " + fmt(maxBehind.get() / 1e6) + " ms behind schedule; in-flight cap ("
        + OPEN_LOOP_MAX_IN_FLIGHT + ") hit " + capHits.get() + " times");
    line("- CPU cores used: server " + fmt(u.server()) + (cassandra != null ? ", cassandra " + fmt(u.cassandra()) : "")
        + ", benchmark " + fmt(u.self()) + "; machine busy " + fmt(u.machineBusyPct()) + " %; load avg after " + loadAvg());
    errorsLine(fromSchedule);
    return new OpenLoop(fromSchedule, fromSend);
  }

  // ---- 3. watches ----

  void watchPhase() throws Exception {
    String ns = "bench-watch";
    String rv = listResourceVersion(ns);
    HttpClient watchHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newFixedThreadPool(4, daemon("watch-http"))).build();
    int writes = (int) (WATCH_RATE * n(WATCH_DURATION).toSeconds());
    long[][] lat = new long[WATCHES][writes];
    AtomicIntegerArray seen = new AtomicIntegerArray(WATCHES);
    AtomicInteger[] warmSeen = new AtomicInteger[WATCHES];
    LongAdder otherEvents = new LongAdder();
    ConcurrentHashMap<String, Integer> eventTypes = new ConcurrentHashMap<>();
    List<InputStream> streams = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    AtomicInteger watchErrors = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    List<String> watchErrorSamples = new ArrayList<>();
    for (int w = 0; w < WATCHES; w++) {
      warmSeen[w] = new AtomicInteger();
      HttpRequest req = HttpRequest.newBuilder(uri("/api/v1/namespaces/" + ns + "/configmaps?watch=1&resourceVersion="
          + rv + "&timeoutSeconds=600")).GET().build();
      HttpResponse<InputStream> resp = watchHttp.send(req, HttpResponse.BodyHandlers.ofInputStream());
      if (resp.statusCode() != 200) {
        throw new IllegalStateException("watch " + w + " answered " + resp.statusCode() + ": "
            + new String(resp.body().readAllBytes(), StandardCharsets.UTF_8));
      }
      streams.add(resp.body());
      final int id = w;
      Thread t = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
          String l;
          while ((l = in.readLine()) != null) {
            long now = System.nanoTime();
            int typeEnd = l.indexOf('"', 9);
            String type = typeEnd > 9 ? l.substring(9, typeEnd) : "?";
            eventTypes.merge(type, 1, Integer::sum);
            if (!type.equals("ADDED")) {
              otherEvents.increment();
              if (type.equals("ERROR")) {
                synchronized (watchErrorSamples) {
                  if (watchErrorSamples.size() < 3) {
                    watchErrorSamples.add(l);
                  }
                }
              }
              continue;
            }
            if (l.contains("\"name\":\"wwarm-")) {
              warmSeen[id].incrementAndGet();
              continue;
            }
            Matcher m = TS.matcher(l);
            int j = seen.get(id);
            if (m.find() && j < writes) {
              lat[id][j] = now - Long.parseLong(m.group(1));
              seen.set(id, j + 1);
            }
          }
          if (!closing.get()) {
            watchErrors.incrementAndGet(); // the server ended the stream before we closed it
          }
        } catch (IOException e) {
          if (!closing.get()) {
            watchErrors.incrementAndGet(); // failed before we closed it
          }
        }
      }, "watch-" + w);
      t.setDaemon(true);
      t.start();
      readers.add(t);
    }
    // Barrier: every watch must have received a warm-up event before the measured writes.
    long barrierStart = System.nanoTime();
    int warmups = 0;
    while (Arrays.stream(warmSeen).anyMatch(a -> a.get() == 0)) {
      send(createRequest(ns, "wwarm-" + warmups++, System.nanoTime()));
      Thread.sleep(200);
      if (System.nanoTime() - barrierStart > TimeUnit.SECONDS.toNanos(60)) {
        throw new IllegalStateException("not all watches received the warm-up events within 60 s");
      }
    }
    objects += warmups;
    Cpu cpu = Cpu.start(server.pid(), cassandra == null ? -1 : cassandra.pid());
    Result creates = new Result(writes);
    long interval = 1_000_000_000L / WATCH_RATE;
    long start = System.nanoTime();
    CountDownLatch sentAll = new CountDownLatch(writes);
    for (int i = 0; i < writes; i++) {
      long scheduled = start + i * interval;
      long now;
      while ((now = System.nanoTime()) < scheduled) {
        TimeUnit.NANOSECONDS.sleep(Math.max(50_000, scheduled - now - 100_000));
      }
      long sent = System.nanoTime();
      http.sendAsync(createRequest(ns, "w-" + i, sent), HttpResponse.BodyHandlers.ofString())
          .whenComplete((resp, err) -> {
            creates.record(System.nanoTime() - sent, err != null ? -1 : resp.statusCode(),
                err != null ? err.toString() : resp.body());
            sentAll.countDown();
          });
    }
    sentAll.await(60, TimeUnit.SECONDS);
    creates.wallNanos = System.nanoTime() - start;
    objects += creates.ok.get();
    long expected = (long) WATCHES * creates.ok.get();
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < waitUntil && sum(seen) < expected) {
      Thread.sleep(100);
    }
    Cpu.Usage u = cpu.stop();
    closing.set(true);
    for (InputStream s : streams) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing cancels the watch
      }
    }
    int total = sum(seen);
    long[] all = new long[total];
    long[] perWatchP99 = new long[WATCHES];
    int k = 0;
    for (int w = 0; w < WATCHES; w++) {
      int c = Math.min(seen.get(w), total - k);
      System.arraycopy(lat[w], 0, all, k, c);
      k += c;
      long[] mine = Arrays.copyOf(lat[w], c);
      Arrays.sort(mine);
      perWatchP99[w] = pct(mine, 99);
    }
    Arrays.sort(all);
    Arrays.sort(perWatchP99);
    line("- writes: " + creates.attempted() + " (" + creates.ok.get() + " ok, " + creates.errors() + " errors) at "
        + fmt(creates.rate()) + "/s achieved; create latency p50 " + fmt(creates.p(50)) + " ms, p99 " + fmt(creates.p(99)) + " ms");
    line("- deliveries: " + total + " of " + expected + " expected (" + (expected - total) + " missing); other events: "
        + eventTypes + "; watch streams that ended or failed before the benchmark closed them: " + watchErrors.get());
    line("");
    line("| latency from the create's send to the event's arrival at a watch | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
    line("|---|---|---|---|---|---|");
    line("| all deliveries (" + total + ") | " + fmt(pct(all, 50) / 1e6) + " | " + fmt(pct(all, 90) / 1e6) + " | "
        + fmt(pct(all, 99) / 1e6) + " | " + fmt(pct(all, 99.9) / 1e6) + " | " + fmt(pct(all, 100) / 1e6) + " |");
    line("");
    line("- p99 of the individual watches: best " + fmt(perWatchP99[0] / 1e6) + " ms, median "
        + fmt(perWatchP99[WATCHES / 2] / 1e6) + " ms, worst " + fmt(perWatchP99[WATCHES - 1] / 1e6) + " ms");
    line("- CPU cores used: server " + fmt(u.server()) + (cassandra != null ? ", cassandra " + fmt(u.cassandra()) : "")
        + ", benchmark " + fmt(u.self()) + "; machine busy " + fmt(u.machineBusyPct()) + " %; load avg after " + loadAvg());
    if (!watchErrorSamples.isEmpty()) {
      line("- ERROR events: " + watchErrorSamples);
    }
    errorsLine(creates);
    summary.put("watch delivery p50/p99 (" + WATCHES + " watches, " + total + " deliveries)",
        fmt(pct(all, 50) / 1e6) + " / " + fmt(pct(all, 99) / 1e6) + " ms");
    for (Thread t : readers) {
      t.join(2_000);
    }
  }

  // ---- HTTP helpers ----

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.apiPort + path);
  }

  HttpRequest createRequest(String ns, String name, long tsNanos) {
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
        + "\",\"labels\":{\"app\":\"pekkube-bench\"}},\"data\":{\"ts\":\"" + tsNanos + "\",\"payload\":\"" + PAYLOAD + "\"}}";
    return HttpRequest.newBuilder(uri("/api/v1/namespaces/" + ns + "/configmaps"))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  HttpResponse<String> send(HttpRequest req) throws IOException, InterruptedException {
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  void createNamespace(String name) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(uri("/api/v1/namespaces")).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}"))
        .build();
    HttpResponse<String> r = send(req);
    if (r.statusCode() != 201 && r.statusCode() != 409) {
      throw new IllegalStateException("creating namespace " + name + ": " + r.statusCode() + " " + r.body());
    }
  }

  String listResourceVersion(String ns) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/namespaces/" + ns + "/configmaps?limit=1"))
        .timeout(REQUEST_TIMEOUT).GET().build());
    Matcher m = Pattern.compile("\"resourceVersion\":\"(\\d+)\"").matcher(r.body());
    if (r.statusCode() != 200 || !m.find()) {
      throw new IllegalStateException("list answered " + r.statusCode() + ": " + r.body());
    }
    return m.group(1);
  }

  // ---- results ----

  /** Latencies (ns) and outcomes of one phase. */
  static final class Result {
    final long[] lat;
    final AtomicInteger n = new AtomicInteger();
    final AtomicInteger ok = new AtomicInteger();
    final Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
    final List<String> samples = new ArrayList<>();
    volatile long wallNanos;
    private long[] sorted;

    Result(int capacity) {
      lat = new long[capacity];
    }

    void record(long nanos, int status, String body) {
      int i = n.getAndIncrement();
      if (i < lat.length) {
        lat[i] = nanos;
      }
      if (status == 201) {
        ok.incrementAndGet();
      } else {
        byStatus.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        synchronized (samples) {
          String key = status + ": ";
          if (samples.stream().filter(x -> x.startsWith(key)).count() < 2) {
            samples.add(key + (body.length() > 300 ? body.substring(0, 300) : body));
          }
        }
      }
    }

    int attempted() {
      return Math.min(n.get(), lat.length);
    }

    int errors() {
      return attempted() - ok.get();
    }

    double rate() {
      return wallNanos == 0 ? 0 : ok.get() / (wallNanos / 1e9);
    }

    synchronized double p(double q) {
      if (sorted == null) {
        sorted = Arrays.copyOf(lat, attempted());
        Arrays.sort(sorted);
      }
      return pct(sorted, q) / 1e6;
    }
  }

  static int sum(AtomicIntegerArray a) {
    int s = 0;
    for (int i = 0; i < a.length(); i++) {
      s += a.get(i);
    }
    return s;
  }

  static long pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int idx = (int) Math.ceil(q / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  void errorsLine(Result... results) {
    for (Result r : results) {
      if (!r.byStatus.isEmpty()) {
        line("- **errors**: " + r.byStatus + " (status -1 = client-side exception/timeout); samples: " + r.samples);
        line("");
      }
    }
  }

  // ---- the server process ----

  /** A {@code ./pekkube server} process, started with the launcher (PEKKUBE_NO_BUILD=1). */
  static final class Server {
    final Process process;
    final int apiPort;
    long readyWallMs;
    long readyPrintedMs = -1;

    private Server(Process process, int apiPort) {
      this.process = process;
      this.apiPort = apiPort;
    }

    long pid() {
      return process.pid(); // the launcher script execs java, so this is the server JVM
    }

    static Server start(Path root, Path dataDir, String store, Path log, HttpClient http) throws Exception {
      int api = CassandraLauncher.freePort();
      int cluster = CassandraLauncher.freePort();
      ProcessBuilder pb = new ProcessBuilder(root.resolve("pekkube").toString(), "server", "--data-dir",
          dataDir.toString(), "--api-port", String.valueOf(api), "--cluster-port", String.valueOf(cluster),
          "--store", store)
          .directory(root.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      pb.environment().put("PEKKUBE_NO_BUILD", "1");
      long t0 = System.nanoTime();
      Process p = pb.start();
      Server s = new Server(p, api);
      Thread hook = new Thread(() -> s.process.destroyForcibly());
      Runtime.getRuntime().addShutdownHook(hook);
      HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/readyz"))
          .timeout(Duration.ofSeconds(2)).GET().build();
      while (true) {
        if (!p.isAlive()) {
          throw new IllegalStateException("server exited with " + p.exitValue() + "; see " + log);
        }
        if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(180)) {
          p.destroyForcibly();
          throw new IllegalStateException("server not ready within 180 s; see " + log);
        }
        try {
          if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            break;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(10);
      }
      s.readyWallMs = ms(System.nanoTime() - t0);
      for (int i = 0; i < 200 && s.readyPrintedMs < 0; i++) {
        Matcher m = READY.matcher(Files.readString(log));
        if (m.find()) {
          s.readyPrintedMs = Long.parseLong(m.group(1));
        } else {
          Thread.sleep(10);
        }
      }
      return s;
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  void stopAll() {
    try {
      if (server != null) {
        server.stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (cassandra != null) {
      cassandra.stop();
    }
  }

  // ---- /proc ----

  /** CPU time of the server, Cassandra, this JVM and the whole machine over one phase. */
  record Cpu(long serverPid, long cassandraPid, long t0, long server0, long cassandra0, long self0, long[] machine0) {
    static Cpu start(long serverPid, long cassandraPid) {
      return new Cpu(serverPid, cassandraPid, System.nanoTime(), ticks(serverPid), ticks(cassandraPid),
          ticks(ProcessHandle.current().pid()), machine());
    }

    record Usage(double server, double cassandra, double self, double machineBusyPct) {}

    Usage stop() {
      double secs = (System.nanoTime() - t0) / 1e9;
      long[] m = machine();
      double busy = 100.0 * (m[0] - machine0[0]) / Math.max(1, m[1] - machine0[1]);
      return new Usage((ticks(serverPid) - server0) / 100.0 / secs, (ticks(cassandraPid) - cassandra0) / 100.0 / secs,
          (ticks(ProcessHandle.current().pid()) - self0) / 100.0 / secs, busy);
    }

    /** utime + stime in clock ticks (USER_HZ = 100 on Linux). */
    static long ticks(long pid) {
      if (pid <= 0) {
        return 0;
      }
      try {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }

    /** {busy, total} jiffies of all CPUs. */
    static long[] machine() {
      try {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
          total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
      } catch (IOException e) {
        return new long[] {0, 0};
      }
    }
  }

  static long rssMb(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return -1;
  }

  static String loadAvg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  static String memTotal() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return "memory " + Long.parseLong(l.replaceAll("\\D", "")) / 1024 + " MB";
        }
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return "memory ?";
  }

  static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(Files.exists(java) ? java.toString() : "jcmd", String.valueOf(pid), command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  // ---- formatting ----

  int n(int count) {
    return Math.max(1, (int) Math.round(count * scale));
  }

  Duration n(Duration d) {
    return Duration.ofMillis(Math.max(1_000, Math.round(d.toMillis() * scale)));
  }

  void line(String s) {
    System.out.println(s);
    report.append(s).append('\n');
  }

  static String fmt(double d) {
    return d >= 100 ? String.valueOf(Math.round(d)) : String.format("%.1f", d);
  }

  static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  static String minMedMax(List<Long> v) {
    List<Long> s = v.stream().sorted().toList();
    return s.get(0) + " / " + s.get(s.size() / 2) + " / " + s.get(s.size() - 1) + " ms";
  }

  static String firstLines(String s, int n) {
    return String.join("\n", s.lines().skip(1).limit(n).toList()).trim();
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger i = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + i.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
