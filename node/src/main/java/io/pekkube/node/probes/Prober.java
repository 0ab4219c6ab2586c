package io.pekkube.node.probes;

import io.pekkube.node.runtime.ContainerRuntime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Runs one probe once: exec through the runtime (exit code 0 succeeds), HTTP GET (a status from 200
 * to 399 succeeds, as Kubernetes' HTTP prober decides; redirects are not followed), or a TCP connect.
 * Each run is bounded by the probe's timeout; a run that times out has failed.
 */
public final class Prober {
  private final ContainerRuntime runtime;
  private final HttpClient http;
  private final Executor blocking;

  public Prober(ContainerRuntime runtime, Executor blocking) {
    this.runtime = runtime;
    this.blocking = blocking;
    this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).executor(blocking).build();
  }

  /** The outcome of a run, with a message like the kubelet's probe event (empty on success). */
  public record Outcome(boolean success, String message) {}

  public CompletionStage<Outcome> run(ProbeSpec spec, String containerId, String podIp) {
    try {
      if (spec.handler() instanceof ProbeSpec.Exec exec) {
        return runtime.exec(containerId, exec.command(), spec.timeout()).thenApply(r -> r.timedOut()
            ? new Outcome(false, "command timed out")
            : new Outcome(r.exitCode() == 0, r.exitCode() == 0 ? "" : r.stdout() + r.stderr()));
      }
      if (spec.handler() instanceof ProbeSpec.HttpGet get) {
        return httpGet(get, podIp, spec);
      }
      ProbeSpec.TcpSocket tcp = (ProbeSpec.TcpSocket) spec.handler();
      return CompletableFuture.supplyAsync(() -> tcp(tcp, podIp, spec), blocking);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new Outcome(false, e.toString()));
    }
  }

  private CompletionStage<Outcome> httpGet(ProbeSpec.HttpGet get, String podIp, ProbeSpec spec) {
    String host = get.host().isEmpty() ? podIp : get.host();
    String path = get.path().startsWith("/") ? get.path() : "/" + get.path();
    URI uri = URI.create(get.scheme().toLowerCase() + "://" + host + ":" + get.port() + path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(spec.timeout()).GET()
        .header("User-Agent", "kube-probe/1.32");
    get.headers().forEach(h -> request.header(h[0], h[1]));
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .thenApply(r -> r.statusCode() >= 200 && r.statusCode() < 400
            ? new Outcome(true, "")
            : new Outcome(false, "HTTP probe failed with statuscode: " + r.statusCode()))
        .exceptionally(e -> new Outcome(false, "Get \"" + uri + "\": " + rootMessage(e)));
  }

  private static Outcome tcp(ProbeSpec.TcpSocket tcp, String podIp, ProbeSpec spec) {
    String host = tcp.host().isEmpty() ? podIp : tcp.host();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, tcp.port()), (int) spec.timeout().toMillis());
      return new Outcome(true, "");
    } catch (IOException e) {
      return new Outcome(false, "dial tcp " + host + ":" + tcp.port() + ": " + e.getMessage());
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
  }
}
