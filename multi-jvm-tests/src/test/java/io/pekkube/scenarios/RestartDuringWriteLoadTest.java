package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.fixture.ReliabilityReport;
import io.pekkube.fixture.ServerProcess;
import io.pekkube.fixture.WriteLoad;
import io.pekkube.persistence.journal.RealCassandra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real server process is stopped (SIGTERM) or killed (SIGKILL) in the middle of a write load; after
 * a restart on the same data every write the clients saw acknowledged is there, exactly once.
 */
@ExtendWith(RealCassandra.class)
class RestartDuringWriteLoadTest {
  private static final String SUITE = "RestartDuringWriteLoadTest";

  @AfterAll
  static void writeReport() throws Exception {
    ReliabilityReport.write(SUITE);
  }

  private static Path dataDir(String name) throws Exception {
    return Files.createTempDirectory(Path.of("target"), name).toAbsolutePath();
  }

  @Test
  void killMinus9OnTheEmbeddedStoreLosesNoAcknowledgedWrite() throws Exception {
    crashAndCheck("embedded", true);
  }

  @Test
  void sigtermOnTheEmbeddedStoreLosesNoAcknowledgedWrite() throws Exception {
    crashAndCheck("embedded", false);
  }

  @Test
  void killMinus9OnCassandraLosesNoAcknowledgedWrite() throws Exception {
    crashAndCheck(RealCassandra.storeUri(), true);
  }

  private void crashAndCheck(String store, boolean kill) throws Exception {
    try (ServerProcess server = ServerProcess.onTestClasspath(dataDir("restart-"), store)) {
      String ns = "default";
      Set<String> before = new HashSet<>(WriteLoad.listNames(server.url(), ns));
      WriteLoad load = new WriteLoad(server.url(), ns, 8, 100_000);
      awaitAcknowledged(load, 300, Duration.ofSeconds(60));
      if (kill) {
        server.kill9();
      } else {
        server.stop();
      }
      load.stopAndWait();
      Set<String> acknowledged = load.acknowledged();
      server.restart();
      List<String> after = WriteLoad.listNames(server.url(), ns);
      Set<String> afterSet = new HashSet<>(after);
      assertEquals(after.size(), afterSet.size(), "no object listed twice");
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(afterSet);
      ReliabilityReport.record(SUITE, (store.equals("embedded") ? "embedded (H2)" : "Cassandra") + ", "
          + (kill ? "kill -9" : "SIGTERM") + " after 300 acknowledged writes of 8 clients, then restart",
          acknowledged.size() + " writes acknowledged, " + load.failures() + " failed while stopping, **"
              + lost.size() + " lost**");
      assertTrue(lost.isEmpty(), "acknowledged writes lost: " + lost);
      assertTrue(afterSet.containsAll(before));
    }
  }

  private static void awaitAcknowledged(WriteLoad load, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (load.acknowledgedCount() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + load.acknowledgedCount() + " writes acknowledged in " + timeout);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
