package io.pekkube.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * Where the journal and snapshots live, from the {@code --store} option: {@code embedded} (H2 in the data
 * directory) or {@code cassandra://host:port} (port defaults to 9042).
 *
 * <p>Use: {@code StoreSettings store = StoreSettings.parse(uri, dataDir); store.prepareSchema();
 * ActorSystem.create(guardian, name, store.toConfig().withFallback(ConfigFactory.load()));}
 *
 * @param kind which store
 * @param host Cassandra contact host; {@code null} for the embedded store
 * @param port Cassandra CQL port; {@code 0} for the embedded store
 * @param dataDir the node's data directory; the embedded store keeps its files in {@code <dataDir>/journal}
 */
public record StoreSettings(Kind kind, String host, int port, Path dataDir) {

  public enum Kind { EMBEDDED, CASSANDRA }

  public static final int DEFAULT_CQL_PORT = 9042;
  public static final String EMBEDDED_RESOURCE = "persistence-embedded.conf";
  public static final String CASSANDRA_RESOURCE = "persistence-cassandra.conf";
  public static final String H2_SCHEMA_RESOURCE = "schema/h2-journal.sql";

  private static final String USAGE = "expected `embedded` or `cassandra://host:port`";

  public StoreSettings {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(dataDir, "dataDir");
    dataDir = dataDir.toAbsolutePath().normalize();
    if (kind == Kind.CASSANDRA && (host == null || host.isBlank() || port < 1 || port > 65535)) {
      throw new IllegalArgumentException("Cassandra store needs a host and a port in 1..65535, got "
          + host + ":" + port);
    }
  }

  /**
   * Parses a {@code --store} value.
   *
   * @throws IllegalArgumentException naming the bad value and the accepted forms
   */
  public static StoreSettings parse(String storeUri, Path dataDir) {
    Objects.requireNonNull(dataDir, "dataDir");
    if (storeUri == null || storeUri.isBlank()) {
      throw new IllegalArgumentException("Empty store; " + USAGE);
    }
    String value = storeUri.strip();
    if (value.equalsIgnoreCase("embedded")) {
      return new StoreSettings(Kind.EMBEDDED, null, 0, dataDir);
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Bad store `" + storeUri + "`: " + e.getReason() + "; " + USAGE, e);
    }
    if (!"cassandra".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("Unknown store `" + storeUri + "`; " + USAGE);
    }
    // A server-based authority has a host; "cassandra://:9042" or "cassandra://a:b" do not parse as one.
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("Store `" + storeUri + "` has no valid host; " + USAGE);
    }
    boolean extra = uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null
        || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"));
    if (extra) {
      throw new IllegalArgumentException("Store `" + storeUri + "` must be only host and port; " + USAGE);
    }
    int port = uri.getPort() == -1 ? DEFAULT_CQL_PORT : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("Store `" + storeUri + "` has port " + port + " outside 1..65535");
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new StoreSettings(Kind.CASSANDRA, host, port, dataDir);
  }

  /** The value {@link #parse} accepts for these settings. */
  public String toUri() {
    return kind == Kind.EMBEDDED ? "embedded" : "cassandra://" + hostForUri() + ":" + port;
  }

  /** Folder of the H2 files of the embedded store. */
  public Path embeddedDir() {
    return dataDir.resolve("journal");
  }

  /**
   * The configuration overlay for this store, resolved, to put in front of the application's config:
   * {@code store.toConfig().withFallback(ConfigFactory.load())}. System properties still override its
   * keys (e.g. {@code -Dpekkube.persistence.embedded.url=...}).
   */
  public Config toConfig() {
    Config fromUri = switch (kind) {
      case EMBEDDED -> ConfigFactory.empty()
          .withValue("pekkube.persistence.embedded.dir", ConfigValueFactory.fromAnyRef(embeddedDir().toString()));
      case CASSANDRA -> ConfigFactory.empty()
          .withValue("pekkube.persistence.cassandra.contact-point",
              ConfigValueFactory.fromAnyRef(hostForUri() + ":" + port));
    };
    Config layer = fromUri.withFallback(ConfigFactory.parseResourcesAnySyntax(resource()));
    if (!layer.hasPath("pekkube.persistence.store")) {
      throw new IllegalStateException(resource() + " is not on the classpath");
    }
    // Resolved together with the system properties so that -D overrides reach the keys that refer to
    // them; only this layer's top-level sections are returned.
    Config resolved = ConfigFactory.systemProperties().withFallback(layer).resolve();
    Config overlay = ConfigFactory.empty();
    for (String section : layer.root().keySet()) {
      overlay = overlay.withFallback(resolved.withOnlyPath(quoted(section)));
    }
    return overlay;
  }

  /** Plugin id of the read journal of this store, for {@code PersistenceQuery}. */
  public String readJournalPluginId() {
    return toConfig().getString("pekkube.persistence.read-journal-plugin-id");
  }

  /** Creates the journal and snapshot tables if they do not exist yet; safe to run at every start. */
  public void prepareSchema() {
    switch (kind) {
      case CASSANDRA -> CassandraSchema.create(host, port);
      case EMBEDDED -> createH2Schema();
    }
  }

  private void createH2Schema() {
    Config config = toConfig();
    String url = config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url");
    String user = config.getString("pekko-persistence-jdbc.shared-databases.slick.db.user");
    String password = config.getString("pekko-persistence-jdbc.shared-databases.slick.db.password");
    try {
      Files.createDirectories(embeddedDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + embeddedDir(), e);
    }
    try (Connection connection = DriverManager.getConnection(url, user, password);
         Statement statement = connection.createStatement()) {
      for (String ddl : SchemaScript.statements(H2_SCHEMA_RESOURCE)) {
        statement.execute(ddl);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the embedded journal schema at " + url + ": " + e.getMessage(), e);
    }
  }

  private static String quoted(String key) {
    return "\"" + key + "\"";
  }

  private String resource() {
    return kind == Kind.EMBEDDED ? EMBEDDED_RESOURCE : CASSANDRA_RESOURCE;
  }

  private String hostForUri() {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
