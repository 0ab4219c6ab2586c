package io.pekkube.node.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestartBackOffTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** entry delay (s, -1 none), ran (s), waited since exit (s) -> restart now?, next delay or wait (s). */
  @ParameterizedTest(name = "delay {0}s, ran {1}s, {2}s after exit -> restart {3}, delay {4}s")
  @CsvSource({
      "-1, 5, 0, true, 10",      // the first restart is immediate and arms 10 s
      "10, 5, 3, false, 10",     // within the 10 s since the exit: CrashLoopBackOff
      "10, 5, 10, true, 20",     // waited out: restart, the delay doubles
      "160, 5, 160, true, 300",  // doubling stops at 5 minutes
      "300, 5, 300, true, 300",
      "300, 5, 100, false, 300",
      "300, 600, 0, true, 10",   // ran 10 minutes: the back-off starts over
  })
  void decidesLikeTheKubelet(long delay, long ran, long waited, boolean restart, long next) {
    RestartBackOff policy = RestartBackOff.KUBERNETES;
    RestartBackOff.Entry entry = delay < 0 ? RestartBackOff.Entry.NONE : new RestartBackOff.Entry(Duration.ofSeconds(delay));
    Instant finished = T0.plusSeconds(ran);
    RestartBackOff.Decision d = policy.decide(entry, T0, finished, finished.plusSeconds(waited));
    if (restart) {
      assertEquals(new RestartBackOff.Restart(new RestartBackOff.Entry(Duration.ofSeconds(next))), d);
    } else {
      assertEquals(new RestartBackOff.Wait(finished.plusSeconds(next), Duration.ofSeconds(next)), d);
    }
  }

  @ParameterizedTest
  @CsvSource({"10, 10s", "80, 1m20s", "300, 5m0s"})
  void messageUsesGoDurations(long seconds, String text) {
    assertEquals("back-off " + text + " restarting failed container=app pod=web_default(u1)",
        RestartBackOff.message(Duration.ofSeconds(seconds), "app", "web", "default", "u1"));
  }
}
