package io.pekkube.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {
  @Test
  void theDefaultsAreTheKubeletsLogLimits() {
    RuntimeSettings s = RuntimeSettings.from(ConfigFactory.load());
    assertEquals("process", s.kind());
    assertEquals(10L * 1024 * 1024, s.containerLogMaxSize());
    assertEquals(5, s.containerLogMaxFiles());
    assertEquals(1024 * 1024, s.execOutputLimit());
    assertEquals(Duration.ofSeconds(1), s.simulatedStartDelay());
    assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "pekkube-runtime"), s.rootDirectory());
  }

  @Test
  void overridesAreRead() {
    RuntimeSettings s = RuntimeSettings.from(ConfigFactory.parseString("""
        pekkube.node.runtime { kind = simulated, root-directory = "/srv/pekkube", container-log-max-size = 1Ki,
          container-log-max-files = 2, simulated.start-delay = 10ms }""").withFallback(ConfigFactory.load()));
    assertEquals(Path.of("/srv/pekkube"), s.rootDirectory());
    assertEquals(1024, s.containerLogMaxSize());
    assertEquals(2, s.containerLogMaxFiles());
    try (SimulatedRuntime runtime = assertInstanceOf(SimulatedRuntime.class, ContainerRuntime.create(s))) {
      assertEquals(false, runtime.enforcement().limits());
    }
  }

  @Test
  void anUnknownKindIsRefused() {
    RuntimeSettings s = RuntimeSettings.from(ConfigFactory.parseString("pekkube.node.runtime.kind = docker")
        .withFallback(ConfigFactory.load()));
    assertThrows(IllegalArgumentException.class, () -> ContainerRuntime.create(s));
  }
}
