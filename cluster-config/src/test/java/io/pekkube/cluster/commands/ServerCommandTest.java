package io.pekkube.cluster.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkube.actors.controllers.eventttl.EventTtlSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerCommandTest {

  private static ServerCommand parsed(String... args) {
    ServerCommand command = new ServerCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  private static Duration ttl(ServerCommand command) {
    return EventTtlSettings.from(command.overrides().withFallback(ConfigFactory.load("pekkube"))).ttl();
  }

  @Test
  void theEventTtlIsAnHourUnlessTheFlagSaysOtherwise() {
    assertEquals(Duration.ofHours(1), ttl(parsed()));
    assertEquals(Duration.ofSeconds(90), ttl(parsed("--event-ttl", "90s")));
    assertEquals(Duration.ofMinutes(5), ttl(parsed("--event-ttl=5m0s")));
    assertEquals(Duration.ofMillis(1500), ttl(parsed("--event-ttl", "1.5s")));
  }

  @Test
  void aBadEventTtlIsACommandLineError() {
    assertEquals("Invalid value for option '--event-ttl': time: unknown unit \"d\" in duration \"1d\"",
        errorOf("--event-ttl", "1d"));
    assertEquals("--event-ttl must be greater than 0", errorOf("--event-ttl", "0s"));
    assertEquals("--event-ttl must be greater than 0", errorOf("--event-ttl=-5m"));
  }

  /** The first line picocli prints for {@code args}, after it refused them with exit code 2. */
  private static String errorOf(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ServerCommand()).setErr(new PrintWriter(err));
    assertEquals(2, cli.execute(args));
    String text = err.toString();
    assertTrue(text.contains("Usage: server"), text);
    assertFalse(text.isBlank());
    return text.lines().findFirst().orElseThrow();
  }
}
