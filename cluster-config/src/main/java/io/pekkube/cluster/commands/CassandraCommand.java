package io.pekkube.cluster.commands;

import io.pekkube.persistence.journal.CassandraLauncher;
import io.pekkube.persistence.journal.CassandraSchema;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pekkube cassandra}: a local single-node Apache Cassandra for development, with the schema. */
@Command(name = "cassandra", mixinStandardHelpOptions = true,
    description = "Run a local single-node Apache Cassandra 5.0.6 (in its own JVM, bound to 127.0.0.1) "
        + "with the Pekkube journal schema, until interrupted. Use it with "
        + "'pekkube server --store cassandra://127.0.0.1:PORT'.")
public final class CassandraCommand implements Callable<Integer> {

  @Option(names = "--data-dir", defaultValue = ".pekkube/cassandra",
      description = "Directory for Cassandra's data, commit log and log file (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--port", defaultValue = "9042",
      description = "CQL native transport port (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws Exception {
    CassandraLauncher cassandra = CassandraLauncher.start(dataDir.toAbsolutePath(), port,
        CassandraLauncher.libDirFromEnvironment());
    CassandraSchema.create(cassandra.host(), cassandra.cqlPort());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cassandra.stop();
      stopped.countDown();
    }, "cassandra-stop"));
    System.out.println("Cassandra is up on 127.0.0.1:" + cassandra.cqlPort() + " (pid " + cassandra.pid()
        + ", data in " + dataDir.toAbsolutePath() + ").");
    System.out.println("Start Pekkube on it with: ./pekkube server --store cassandra://127.0.0.1:" + cassandra.cqlPort());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
