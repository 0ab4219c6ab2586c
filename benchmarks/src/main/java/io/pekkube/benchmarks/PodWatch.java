package io.pekkube.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One watch on every pod of the cluster, from the current resourceVersion on, that records when each
 * pod ({@code namespace/name}) was first seen bound to a node and first seen Running, in
 * {@link System#nanoTime()} of this JVM: what a client of the API observes, as Kubernetes's SLOs measure.
 */
final class PodWatch implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final Map<String, Long> boundAt = new ConcurrentHashMap<>();
  final Map<String, Long> runningAt = new ConcurrentHashMap<>();
  final Map<String, String> nodeOf = new ConcurrentHashMap<>();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final Thread reader;
  private volatile InputStream body;

  private PodWatch(HttpClient http, int apiPort) throws Exception {
    HttpResponse<String> list = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + apiPort + "/api/v1/pods?limit=1")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    String rv = JSON.readTree(list.body()).path("metadata").path("resourceVersion").asText();
    HttpResponse<InputStream> watch = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
        + "/api/v1/pods?watch=true&timeoutSeconds=7200&resourceVersion=" + rv)).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (watch.statusCode() != 200) {
      throw new IllegalStateException("watch on pods answered " + watch.statusCode());
    }
    body = watch.body();
    reader = new Thread(this::read, "pod-watch");
    reader.setDaemon(true);
    reader.start();
  }

  static PodWatch open(HttpClient http, int apiPort) throws Exception {
    return new PodWatch(http, apiPort);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      while ((line = in.readLine()) != null) {
        long now = System.nanoTime();
        JsonNode event = JSON.readTree(line);
        if ("ERROR".equals(event.path("type").asText())) {
          failure.set(line);
          return;
        }
        JsonNode pod = event.path("object");
        String key = pod.path("metadata").path("namespace").asText() + "/" + pod.path("metadata").path("name").asText();
        String node = pod.path("spec").path("nodeName").asText("");
        if (!node.isEmpty() && boundAt.putIfAbsent(key, now) == null) {
          nodeOf.put(key, node);
        }
        if ("Running".equals(pod.path("status").path("phase").asText())) {
          runningAt.putIfAbsent(key, now);
        }
      }
      failure.compareAndSet(null, "the watch ended");
    } catch (Exception e) {
      failure.compareAndSet(null, e.toString());
    }
  }

  /** Waits until {@code count} pods of {@code seen} are recorded; false on timeout or a broken watch. */
  boolean await(Map<String, Long> seen, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (seen.size() < count) {
      if (failure.get() != null || System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  /** Why the watch stopped, or null while it runs. */
  String failure() {
    return failure.get();
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (Exception ignored) {
      // closing a stream the server may have ended
    }
  }
}
