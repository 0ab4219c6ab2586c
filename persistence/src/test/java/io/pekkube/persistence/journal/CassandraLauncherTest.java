package io.pekkube.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealCassandra.class)
class CassandraLauncherTest {

  @Test
  void schemaHasEveryTableOfTheJournalAndSnapshotPluginsAndCanBeCreatedAgain() {
    try (CqlSession session = RealCassandra.instance().openSession()) {
      CassandraSchema.create(session);

      assertEquals(
          Set.of("messages", "tag_views", "tag_write_progress", "tag_scanning", "metadata", "all_persistence_ids"),
          tables(session, CassandraSchema.JOURNAL_KEYSPACE));
      assertEquals(Set.of("snapshots"), tables(session, CassandraSchema.SNAPSHOT_KEYSPACE));
    }
  }

  @Test
  void acknowledgedRowSurvivesKillMinus9AndRestartOnTheSameData() {
    CassandraLauncher cassandra = RealCassandra.instance();
    try (CqlSession session = cassandra.openSession()) {
      session.execute("CREATE KEYSPACE IF NOT EXISTS launcher_test"
          + " WITH REPLICATION = { 'class' : 'SimpleStrategy', 'replication_factor' : 1 }");
      session.execute("CREATE TABLE IF NOT EXISTS launcher_test.kv (k text PRIMARY KEY, v text)");
      session.execute("INSERT INTO launcher_test.kv (k, v) VALUES ('answer', '42')");
    }
    long killedPid = cassandra.pid();

    cassandra.kill();

    assertFalse(cassandra.isAlive());
    assertFalse(ProcessHandle.of(killedPid).map(ProcessHandle::isAlive).orElse(false));

    cassandra.restart();

    assertTrue(cassandra.isAlive());
    assertNotEquals(killedPid, cassandra.pid());
    try (CqlSession session = cassandra.openSession()) {
      Row row = session.execute("SELECT v FROM launcher_test.kv WHERE k = 'answer'").one();
      assertNotNull(row, "the row written before kill -9 is gone");
      assertEquals("42", row.getString("v"));
    }
  }

  @Test
  void startFailsFastWithClearMessageWhenTheLibFolderIsMissing(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CassandraLauncher.start(dir.resolve("data"), CassandraLauncher.freePort(), dir.resolve("no-lib")));

    assertTrue(e.getMessage().contains("no-lib"), e.getMessage());
  }

  @Test
  void libFolderComesFromTheBuild() {
    Path lib = CassandraLauncher.libDirFromEnvironment();

    assertTrue(lib.resolve("cassandra-all-5.0.6.jar").toFile().isFile(), "no cassandra-all in " + lib);
  }

  private static Set<String> tables(CqlSession session, String keyspace) {
    return session.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace)
        .all().stream().map(r -> r.getString("table_name")).collect(Collectors.toSet());
  }
}
