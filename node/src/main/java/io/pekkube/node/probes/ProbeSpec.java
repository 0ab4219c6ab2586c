package io.pekkube.node.probes;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One probe of a container (liveness, readiness or startup) with Kubernetes' defaults applied:
 * period 10 s, timeout 1 s, success threshold 1, failure threshold 3, no initial delay.
 */
public record ProbeSpec(Kind kind, Handler handler, Duration initialDelay, Duration period, Duration timeout,
    int successThreshold, int failureThreshold) {

  public enum Kind {
    LIVENESS("livenessProbe"), READINESS("readinessProbe"), STARTUP("startupProbe");

    public final String field;

    Kind(String field) {
      this.field = field;
    }
  }

  /** How the probe checks the container. */
  public sealed interface Handler permits Exec, HttpGet, TcpSocket {}

  public record Exec(List<String> command) implements Handler {}

  /** {@code port} already resolved from a named container port; {@code host} empty means the pod IP. */
  public record HttpGet(String scheme, String host, int port, String path, List<String[]> headers) implements Handler {}

  public record TcpSocket(String host, int port) implements Handler {}

  /** The container's probe of {@code kind}, if it has one with a handler this kubelet runs. */
  public static Optional<ProbeSpec> of(JsonNode container, Kind kind) {
    JsonNode p = container.path(kind.field);
    if (!p.isObject()) {
      return Optional.empty();
    }
    Handler handler;
    if (p.path("exec").isObject()) {
      List<String> command = new ArrayList<>();
      p.path("exec").path("command").forEach(c -> command.add(c.asText()));
      handler = new Exec(command);
    } else if (p.path("httpGet").isObject()) {
      JsonNode h = p.path("httpGet");
      List<String[]> headers = new ArrayList<>();
      h.path("httpHeaders").forEach(x -> headers.add(new String[] {x.path("name").asText(), x.path("value").asText()}));
      handler = new HttpGet(h.path("scheme").asText("HTTP"), h.path("host").asText(""), port(container, h.path("port")),
          h.path("path").asText("/"), headers);
    } else if (p.path("tcpSocket").isObject()) {
      JsonNode t = p.path("tcpSocket");
      handler = new TcpSocket(t.path("host").asText(""), port(container, t.path("port")));
    } else {
      return Optional.empty();
    }
    return Optional.of(new ProbeSpec(kind, handler,
        Duration.ofSeconds(p.path("initialDelaySeconds").asLong(0)),
        Duration.ofSeconds(Math.max(1, p.path("periodSeconds").asLong(10))),
        Duration.ofSeconds(Math.max(1, p.path("timeoutSeconds").asLong(1))),
        Math.max(1, p.path("successThreshold").asInt(1)),
        Math.max(1, p.path("failureThreshold").asInt(3))));
  }

  /** A number, or the name of one of the container's ports ({@code -1} when unknown). */
  static int port(JsonNode container, JsonNode port) {
    if (port.isInt() || port.asText("").matches("\\d+")) {
      return port.asInt();
    }
    for (JsonNode p : container.path("ports")) {
      if (port.asText("").equals(p.path("name").asText())) {
        return p.path("containerPort").asInt(-1);
      }
    }
    return -1;
  }
}
