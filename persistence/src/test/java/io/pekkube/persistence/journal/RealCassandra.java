package io.pekkube.persistence.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Cassandra node per test JVM, with the journal schema created: {@code @ExtendWith(RealCassandra.class)}
 * on every class that needs it, then {@link #instance()} or {@link #storeUri()}.
 *
 * <p>The node lives in the root extension store, so JUnit stops it (and deletes its data under
 * {@code target/}) after the last test of the JVM; the launcher's shutdown hook and watchdog cover a JVM
 * that dies first. Tests that kill or restart it must leave it running.
 */
public final class RealCassandra implements BeforeAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealCassandra.class);
  private static volatile Node node;

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Node.class, key -> Node.start(), Node.class);
  }

  /** The running node; it may have been restarted in place by a test ({@link CassandraLauncher#restart()}). */
  public static CassandraLauncher instance() {
    Node current = node;
    if (current == null) {
      throw new IllegalStateException("No Cassandra: annotate the test class with @ExtendWith(RealCassandra.class)");
    }
    return current.launcher;
  }

  /** {@code cassandra://127.0.0.1:PORT}, for {@link StoreSettings#parse}. */
  public static String storeUri() {
    CassandraLauncher launcher = instance();
    return "cassandra://" + launcher.host() + ":" + launcher.cqlPort();
  }

  /** Closed by JUnit's root store (AutoCloseable values are closed since JUnit 5.13). */
  private static final class Node implements AutoCloseable {
    private final CassandraLauncher launcher;
    private final Path dataDir;

    private Node(CassandraLauncher launcher, Path dataDir) {
      this.launcher = launcher;
      this.dataDir = dataDir;
    }

    static Node start() {
      Path dataDir = Path.of("target", "real-cassandra-" + ProcessHandle.current().pid()).toAbsolutePath();
      deleteRecursively(dataDir);
      CassandraLauncher launcher =
          CassandraLauncher.start(dataDir, CassandraLauncher.freePort(), CassandraLauncher.libDirFromEnvironment());
      try {
        CassandraSchema.create(launcher.host(), launcher.cqlPort());
      } catch (RuntimeException e) {
        launcher.kill();
        throw e;
      }
      Node started = new Node(launcher, dataDir);
      node = started;
      return started;
    }

    @Override
    public void close() {
      node = null;
      launcher.kill();
      deleteRecursively(dataDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
