package io.pekkube.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * {@code count} POSTs of JSON bodies by {@code clients} closed-loop clients (each sends its next request
 * when its previous one is answered); records, per object key, the time it was sent, and counts answers
 * by status. A request that fails is not retried: it is counted, and its object is not expected.
 */
final class ConcurrentCreates {
  /** One object to create: its key ({@code namespace/name}), the collection path and the body. */
  record Create(String key, String path, String json) {}

  final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  /** When each created object's 201 arrived. */
  final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
  final Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
  final Map<String, String> firstErrors = new TreeMap<>();
  long startNs;
  long endNs;

  static ConcurrentCreates run(HttpClient http, int apiPort, int count, int clients, IntFunction<Create> objects,
      Duration limit) throws InterruptedException {
    ConcurrentCreates r = new ConcurrentCreates();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients, ApiBenchmark.daemon("create"));
    long deadline = System.nanoTime() + limit.toNanos();
    r.startNs = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      pool.execute(() -> {
        int i;
        while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
          Create o = objects.apply(i);
          HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + o.path()))
              .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(o.json())).build();
          long sent = System.nanoTime();
          int status;
          String body;
          try {
            HttpResponse<String> resp = http.send(post, HttpResponse.BodyHandlers.ofString());
            status = resp.statusCode();
            body = resp.body();
          } catch (Exception e) {
            status = -1;
            body = e.toString();
          }
          r.byStatus.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
          if (status == 201) {
            r.answeredAt.put(o.key(), System.nanoTime());
            r.sentAt.put(o.key(), sent);
          } else {
            synchronized (r.firstErrors) {
              r.firstErrors.putIfAbsent(String.valueOf(status), body.length() > 300 ? body.substring(0, 300) : body);
            }
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(limit.toSeconds() + 60, TimeUnit.SECONDS);
    r.endNs = System.nanoTime();
    return r;
  }

  int created() {
    return sentAt.size();
  }

  double perSecond() {
    return created() / ((endNs - startNs) / 1e9);
  }

  String statuses() {
    return new TreeMap<>(byStatus).toString() + (firstErrors.isEmpty() ? "" : " first errors: " + firstErrors);
  }

  /** Sorted nanoseconds from each created object's send to its time in {@code observed} (if observed). */
  long[] latenciesTo(Map<String, Long> observed) {
    return sentAt.entrySet().stream().filter(e -> observed.containsKey(e.getKey()))
        .mapToLong(e -> observed.get(e.getKey()) - e.getValue()).sorted().toArray();
  }

  /** "p50 / p90 / p99 / max" of sorted nanoseconds, in ms. */
  static String percentilesMs(long[] sorted) {
    return ApiBenchmark.ms(ApiBenchmark.pct(sorted, 50)) + " / " + ApiBenchmark.ms(ApiBenchmark.pct(sorted, 90)) + " / "
        + ApiBenchmark.ms(ApiBenchmark.pct(sorted, 99)) + " / "
        + ApiBenchmark.ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
  }

  /** Keys of the created objects, in no particular order. */
  List<String> keys() {
    return List.copyOf(sentAt.keySet());
  }
}
