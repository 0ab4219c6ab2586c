package io.pekkube.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A plain HTTP client of the Kubernetes API, as a test client sees it: status codes and JSON. */
public final class ApiHttp {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public ApiHttp(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public record Reply(int status, JsonNode body, String raw, HttpHeaders headers) {
    public Reply(int status, JsonNode body, String raw) {
      this(status, body, raw, HttpHeaders.of(java.util.Map.of(), (a, b) -> true));
    }

    public String rv() {
      return body.path("metadata").path("resourceVersion").asText();
    }

    /** The first value of response header {@code name}, or "" when absent. */
    public String header(String name) {
      return headers.firstValue(name).orElse("");
    }

    /** Every value of response header {@code name} (e.g. one per {@code Warning}). */
    public java.util.List<String> headerValues(String name) {
      return headers.allValues(name);
    }
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Reply post(String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Reply send(String method, String path, String contentType, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b);
  }

  /** A request with extra request headers (name, value, name, value, ...). */
  public Reply send(String method, String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  /** The body of a reply as bytes (for binary answers such as protobuf). */
  public byte[] getBytes(String path, String accept) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept)
          .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    } catch (Exception e) {
      throw new IllegalStateException("request failed: " + e, e);
    }
  }

  public Reply put(String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Creates a namespace named {@code prefix} plus a unique suffix and answers its name. */
  public String createNamespace(String prefix) {
    String name = prefix + "-" + Long.toHexString(System.nanoTime()).substring(6);
    Reply r = post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + name + "\"}}");
    if (r.status() != 201) {
      throw new IllegalStateException("creating namespace " + name + ": " + r.raw());
    }
    return name;
  }

  public Reply delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  public Reply delete(String path, String optionsJson) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .method("DELETE", HttpRequest.BodyPublishers.ofString(optionsJson)));
  }

  private Reply send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? Json.object() : parseOrText(r.body());
      return new Reply(r.statusCode(), body, r.body(), r.headers());
    } catch (Exception e) {
      throw new IllegalStateException("request failed: " + e, e);
    }
  }

  private static JsonNode parseOrText(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (Exception e) {
      return Json.object().put("text", s);
    }
  }

  /** An open chunked watch whose events are collected by a reader thread. */
  public final class Watch implements AutoCloseable {
    public final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final InputStream stream;
    private final Thread reader;
    public final int status;

    Watch(String path) throws Exception {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      status = r.statusCode();
      stream = r.body();
      reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            if (!line.isBlank()) {
              events.add(Json.MAPPER.readTree(line));
            }
          }
        } catch (Exception ignored) {
          // closed by the test
        }
        events.add(Json.object().put("type", "CLOSED"));
      }, "watch-reader");
      reader.setDaemon(true);
      reader.start();
    }

    public JsonNode next(Duration timeout) throws InterruptedException {
      return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
      stream.close();
    }
  }

  public Watch watch(String path) throws Exception {
    return new Watch(path);
  }
}
