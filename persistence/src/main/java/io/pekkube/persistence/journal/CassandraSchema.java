package io.pekkube.persistence.journal;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Creates the keyspaces and tables of the Cassandra journal and snapshot store from
 * {@code schema/cassandra-journal.cql}. Idempotent: every statement is {@code IF NOT EXISTS}, so it runs
 * at every start; the driver waits for schema agreement after each DDL statement.
 */
public final class CassandraSchema {

  public static final String RESOURCE = "schema/cassandra-journal.cql";
  public static final String JOURNAL_KEYSPACE = "pekkube_journal";
  public static final String SNAPSHOT_KEYSPACE = "pekkube_snapshot";

  private CassandraSchema() {}

  /** The DDL statements, in order, without their trailing {@code ;}. */
  public static List<String> statements() {
    return SchemaScript.statements(RESOURCE);
  }

  public static void create(CqlSession session) {
    for (String statement : statements()) {
      session.execute(statement);
    }
  }

  /** Connects to {@code host:port} (datacenter {@value CassandraLauncher#DATACENTER}), creates, disconnects. */
  public static void create(String host, int port) {
    // With schema metadata on, the driver completes each DDL only after a debounced (1 s) refresh of its
    // schema model: 9 statements took 17 s. Schema agreement is still awaited with it off.
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
        .build();
    try (CqlSession session = CqlSession.builder()
        .addContactPoint(new InetSocketAddress(host, port))
        .withLocalDatacenter(CassandraLauncher.DATACENTER)
        .withConfigLoader(config)
        .build()) {
      create(session);
    }
  }
}
