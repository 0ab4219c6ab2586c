package io.pekkube.node.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeStateTest {

  /** kind, thresholds, results in order (1 ok, 0 failed) -> final result. */
  @ParameterizedTest(name = "{0} success {1} failure {2}: {3} -> {4}")
  @CsvSource({
      "READINESS, 1, 3, '', false",        // not ready before the first success
      "READINESS, 1, 3, 1, true",
      "READINESS, 2, 3, 1, false",         // needs two successes in a row
      "READINESS, 2, 3, 1 0 1, false",
      "READINESS, 2, 3, 1 1, true",
      "READINESS, 1, 3, 1 0 0, true",      // two failures are below the threshold
      "READINESS, 1, 3, 1 0 0 0, false",
      "LIVENESS, 1, 3, '', true",          // alive until proven otherwise
      "LIVENESS, 1, 3, 0 0 1 0 0, true",   // a success resets the failure count
      "LIVENESS, 1, 3, 0 0 0, false",
      "LIVENESS, 1, 1, 0, false",
      "STARTUP, 1, 3, '', false",
      "STARTUP, 1, 3, 0 1, true",
  })
  void countsConsecutiveResults(ProbeSpec.Kind kind, int success, int failure, String results, boolean expected) {
    ProbeSpec spec = new ProbeSpec(kind, new ProbeSpec.Exec(List.of("true")), Duration.ZERO, Duration.ofSeconds(1),
        Duration.ofSeconds(1), success, failure);
    ProbeState state = ProbeState.initial(kind);
    for (String r : results.isBlank() ? new String[0] : results.split(" ")) {
      state = state.observe(r.equals("1"), spec);
    }
    assertEquals(expected, state.success());
  }

  @ParameterizedTest
  @CsvSource({
      "'{\"livenessProbe\":{\"tcpSocket\":{\"port\":8080}}}', LIVENESS, 10, 1, 1, 3",
      "'{\"readinessProbe\":{\"httpGet\":{\"port\":\"web\"},\"periodSeconds\":2,\"timeoutSeconds\":5,\"successThreshold\":2,\"failureThreshold\":1},\"ports\":[{\"name\":\"web\",\"containerPort\":80}]}', READINESS, 2, 5, 2, 1",
  })
  void defaultsAndNamedPorts(String container, ProbeSpec.Kind kind, long period, long timeout, int success, int failure) {
    ProbeSpec spec = ProbeSpec.of(io.pekkube.actors.api.Json.parseTrusted(container), kind).orElseThrow();
    assertEquals(Duration.ofSeconds(period), spec.period());
    assertEquals(Duration.ofSeconds(timeout), spec.timeout());
    assertEquals(success, spec.successThreshold());
    assertEquals(failure, spec.failureThreshold());
    int port = spec.handler() instanceof ProbeSpec.HttpGet g ? g.port() : ((ProbeSpec.TcpSocket) spec.handler()).port();
    assertEquals(kind == ProbeSpec.Kind.READINESS ? 80 : 8080, port);
  }
}
