package io.pekkube.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StoreSettingsTest {

  private static final Path DATA = Path.of("/var/lib/pekkube");

  @ParameterizedTest
  @CsvSource({
      "cassandra://127.0.0.1:9042,  127.0.0.1,     9042",
      "cassandra://db.example:19042, db.example,   19042",
      "cassandra://db.example,       db.example,   9042",
      "cassandra://db.example:9042/, db.example,   9042",
      "CASSANDRA://10.0.0.7:9043,    10.0.0.7,     9043",
      "cassandra://[::1]:9042,       ::1,          9042"})
  void cassandraUriGivesHostAndPort(String uri, String host, int port) {
    StoreSettings store = StoreSettings.parse(uri, DATA);

    assertEquals(StoreSettings.Kind.CASSANDRA, store.kind());
    assertEquals(host, store.host());
    assertEquals(port, store.port());
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", " embedded ", "EMBEDDED"})
  void embeddedNeedsNoHost(String uri) {
    StoreSettings store = StoreSettings.parse(uri, DATA);

    assertEquals(StoreSettings.Kind.EMBEDDED, store.kind());
    assertEquals("embedded", store.toUri());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "h2", "embedded://x", "mysql://db:3306", "cassandra://", "cassandra://:9042",
      "cassandra://db:0", "cassandra://db:65536", "cassandra://db:port", "cassandra://user@db:9042",
      "cassandra://db:9042/keyspace", "cassandra://db:9042?consistency=one", "cassandra:db:9042", "db:9042",
      "cassandra://db 1:9042"})
  void badStoreIsRejectedWithAMessageNamingTheAcceptedForms(String uri) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StoreSettings.parse(uri, DATA));

    assertTrue(e.getMessage().contains("cassandra://host:port") || e.getMessage().contains("1..65535"),
        e.getMessage());
  }

  @Test
  void nullStoreIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> StoreSettings.parse(null, DATA));
  }

  @Test
  void cassandraConfigPointsThePluginsAtTheUriAndThePekkubeKeyspaces() {
    Config config = StoreSettings.parse("cassandra://db.example:19042", DATA).toConfig();

    assertEquals("pekko.persistence.cassandra.journal", config.getString("pekko.persistence.journal.plugin"));
    assertEquals("pekko.persistence.cassandra.snapshot", config.getString("pekko.persistence.snapshot-store.plugin"));
    assertEquals(List.of("db.example:19042"), config.getStringList("datastax-java-driver.basic.contact-points"));
    assertEquals("datacenter1",
        config.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter"));
    assertEquals("pekkube_journal", config.getString("pekko.persistence.cassandra.journal.keyspace"));
    assertEquals("pekkube_snapshot", config.getString("pekko.persistence.cassandra.snapshot.keyspace"));
    assertEquals(false, config.getBoolean("pekko.persistence.cassandra.journal.tables-autocreate"));
    assertEquals("pekko.persistence.cassandra.query",
        StoreSettings.parse("cassandra://db.example:19042", DATA).readJournalPluginId());
  }

  @Test
  void embeddedConfigPutsTheH2FileIntoTheDataDirectory() {
    Config config = StoreSettings.parse("embedded", DATA).toConfig();

    assertEquals("jdbc-journal", config.getString("pekko.persistence.journal.plugin"));
    assertEquals("jdbc-snapshot-store", config.getString("pekko.persistence.snapshot-store.plugin"));
    assertEquals("slick.jdbc.H2Profile$", config.getString("pekko-persistence-jdbc.shared-databases.slick.profile"));
    assertTrue(config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url")
            .startsWith("jdbc:h2:file:" + DATA.resolve("journal").toAbsolutePath() + "/pekkube;"),
        config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"));
    assertEquals("slick", config.getString("jdbc-read-journal.use-shared-db"));
  }

  @Test
  void systemPropertyOverridesTheEmbeddedDatabaseUrl() {
    String key = "pekkube.persistence.embedded.url";
    System.setProperty(key, "jdbc:h2:mem:override");
    ConfigFactory.invalidateCaches();
    try {
      Config config = StoreSettings.parse("embedded", DATA).toConfig();

      assertEquals("jdbc:h2:mem:override", config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"));
    } finally {
      System.clearProperty(key);
      ConfigFactory.invalidateCaches();
    }
  }
}
