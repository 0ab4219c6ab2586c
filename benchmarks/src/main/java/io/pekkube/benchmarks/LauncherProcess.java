package io.pekkube.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@code ./pekkube server} or {@code ./pekkube agent} process started with the project's launcher
 * ({@code PEKKUBE_NO_BUILD=1}); the launcher execs java, so the process is the JVM whose RSS and CPU we read.
 */
record LauncherProcess(String name, Process process, int apiPort, Path log) {
  static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

  long pid() {
    return process.pid();
  }

  /**
   * {@code ./pekkube <arguments>} with {@code env} added (e.g. {@code PEKKUBE_JAVA_OPTS}), output to
   * {@code <work>/<name>.log}; returns when {@code /readyz} on {@code apiPort} answers 200, or for an agent
   * ({@code apiPort} &lt; 0) when {@code ready} holds.
   */
  static LauncherProcess start(Path root, Path work, String name, List<String> arguments, Map<String, String> env,
      int apiPort, HttpClient http, BooleanSupplier ready) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve("pekkube").toString());
    cmd.addAll(arguments);
    Path log = work.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("PEKKUBE_NO_BUILD", "1");
    pb.environment().putAll(env);
    Process p = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    LauncherProcess started = new LauncherProcess(name, p, apiPort, log);
    HttpRequest readyz = apiPort < 0 ? null
        : HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/readyz"))
            .timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException(name + " not ready (exited or " + READY_TIMEOUT.toSeconds() + " s); see " + log);
      }
      try {
        if (readyz == null ? ready.getAsBoolean()
            : http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return started;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
  }

  /** SIGTERM, then SIGKILL after 30 s. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean logContains(String text) {
    try {
      return Files.exists(log) && Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }
}
