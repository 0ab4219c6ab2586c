package io.pekkube.persistence.journal;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a real single-node Apache Cassandra 5.0.6 in a JVM of its own, for development and tests.
 *
 * <p>The child runs {@code org.apache.cassandra.service.CassandraDaemon} with every jar of the lib folder
 * built by {@code cassandra-dist} as its classpath, so Cassandra's Guava and Netty never meet Pekko's.
 * Everything it writes stays under the data directory: {@code cassandra.yaml}, {@code logback.xml},
 * {@code cassandra.log} (the child's stdout and stderr) and the data, commit log, hints and caches.
 *
 * <p>Durability: the node uses {@code commitlog_sync: periodic} (10 s). A write is acknowledged before the
 * commit log is fsynced, so it survives a kill -9 of Cassandra (the OS holds the page cache) but not a
 * power loss — the same trade as Cassandra's default; benchmarks must say so.
 *
 * <p>The child never outlives this JVM: a shutdown hook kills it on a normal exit, and on Linux a tiny
 * watchdog process ({@code tail --pid}) kills it when this JVM itself is killed with -9.
 */
public final class CassandraLauncher {

  /** System property with the folder of Cassandra's jars; surefire sets it for every test JVM. */
  public static final String LIB_PROPERTY = "pekkube.cassandra.lib";
  /** System property with the repository root, the fallback to find {@code cassandra-dist/target/lib}. */
  public static final String ROOT_PROPERTY = "pekkube.root";
  /** The datacenter {@code SimpleSnitch} reports; the driver's local datacenter must match it. */
  public static final String DATACENTER = "datacenter1";
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

  private static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final int LOG_TAIL_LINES = 60;
  private static final Pattern STORAGE_PORT = Pattern.compile("(?m)^storage_port:\\s*(\\d+)\\s*$");

  /** From Cassandra's {@code conf/jvm17-server.options}; every one is required on Java 17. */
  private static final List<String> JAVA17_FLAGS = List.of(
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED");

  private final Path dataDir;
  private final int cqlPort;
  private final int storagePort;
  private final Path libDir;
  private volatile Process process;
  private volatile Process watchdog;
  private volatile Thread shutdownHook;

  private CassandraLauncher(Path dataDir, int cqlPort, int storagePort, Path libDir) {
    this.dataDir = dataDir;
    this.cqlPort = cqlPort;
    this.storagePort = storagePort;
    this.libDir = libDir;
  }

  /**
   * Starts a node on {@code dataDir} (created if missing; existing data is kept) answering CQL on
   * 127.0.0.1:{@code cqlPort}, and returns once {@code SELECT release_version FROM system.local} answers.
   *
   * @throws IllegalStateException if the process dies or CQL does not answer within 120 s; the message
   *     carries the tail of {@code cassandra.log}
   */
  public static CassandraLauncher start(Path dataDir, int cqlPort, Path libDir) {
    return start(dataDir, cqlPort, libDir, DEFAULT_START_TIMEOUT);
  }

  public static CassandraLauncher start(Path dataDir, int cqlPort, Path libDir, Duration timeout) {
    if (!Files.isDirectory(libDir)) {
      throw new IllegalArgumentException("Cassandra lib folder " + libDir + " does not exist; build cassandra-dist");
    }
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Cassandra data directory " + dir, e);
    }
    // The node's identity includes its storage port, so a node restarted on old data keeps the old one.
    int storagePort = previousStoragePort(dir);
    if (storagePort <= 0) {
      storagePort = freePort();
    }
    CassandraLauncher launcher = new CassandraLauncher(dir, cqlPort, storagePort, libDir.toAbsolutePath());
    launcher.launch(timeout);
    return launcher;
  }

  /**
   * The folder of Cassandra's jars: system property {@value #LIB_PROPERTY}, else
   * {@code <pekkube.root>/cassandra-dist/target/lib}.
   *
   * @throws IllegalStateException if the folder does not exist
   */
  public static Path libDirFromEnvironment() {
    String lib = System.getProperty(LIB_PROPERTY);
    Path dir;
    if (lib != null && !lib.isBlank()) {
      dir = Path.of(lib);
    } else {
      String root = System.getProperty(ROOT_PROPERTY, System.getProperty("user.dir"));
      dir = Path.of(root, "cassandra-dist", "target", "lib");
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("The jars of Cassandra are not at " + dir.toAbsolutePath()
          + ". Build them with `mvn -pl cassandra-dist install` (or set -D" + LIB_PROPERTY + "=<folder>).");
    }
    return dir;
  }

  /** A TCP port nobody listens on right now (it may be taken by the time it is used; good enough locally). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port", e);
    }
  }

  public int cqlPort() {
    return cqlPort;
  }

  public String host() {
    return "127.0.0.1";
  }

  public Path dataDir() {
    return dataDir;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Clean stop: SIGTERM (Cassandra drains on it), then kill -9 if it has not exited within 30 s. */
  public void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    if (p.isAlive()) {
      p.destroy();
      if (!awaitExit(p, STOP_TIMEOUT)) {
        killTree(p);
      }
    }
    release();
  }

  /** kill -9 of the Cassandra process and everything it started, as a crash would. */
  public void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    killTree(p);
    release();
  }

  /**
   * Stops the node if it still runs, then starts it again on the same data directory and ports.
   * Restarts in place (this object, new {@link #pid()}) so holders of the reference stay valid.
   */
  public CassandraLauncher restart() {
    if (isAlive()) {
      stop();
    }
    launch(DEFAULT_START_TIMEOUT);
    return this;
  }

  /**
   * Opens a driver session to this node (10 s timeouts, no schema metadata, so DDL is fast); the caller
   * closes it.
   */
  public CqlSession openSession() {
    return openSession(Duration.ofSeconds(10));
  }

  @Override
  public String toString() {
    return "Cassandra[pid=" + (process == null ? "-" : process.pid()) + ", cql=127.0.0.1:" + cqlPort
        + ", storage=" + storagePort + ", dir=" + dataDir + "]";
  }

  private void launch(Duration timeout) {
    Path log = dataDir.resolve("cassandra.log");
    try {
      writeConfiguration();
      // A fresh log per start: the tail in an error message must belong to this attempt.
      Files.deleteIfExists(log);
      ProcessBuilder builder = new ProcessBuilder(command())
          .directory(dataDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Cassandra in " + dataDir, e);
    }
    Process started = process;
    Process dog = startWatchdog(started.pid());
    watchdog = dog;
    shutdownHook = new Thread(() -> {
      killTree(started);
      if (dog != null) {
        dog.descendants().forEach(ProcessHandle::destroyForcibly);
        dog.destroyForcibly();
      }
    }, "cassandra-launcher-shutdown-" + started.pid());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      awaitCql(timeout);
    } catch (RuntimeException e) {
      kill();
      throw e;
    }
  }

  private List<String> command() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path jamm;
    try (Stream<Path> jars = Files.list(libDir)) {
      jamm = jars.filter(p -> p.getFileName().toString().matches("jamm-.*\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no jamm-*.jar in " + libDir));
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    // A fixed heap: Cassandra's own formula picks a quarter of the machine's memory.
    cmd.addAll(List.of("-Xms1G", "-Xmx1G", "-Xss256k",
        "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=300", "-XX:G1HeapRegionSize=16m",
        "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + dataDir, "-XX:+ExitOnOutOfMemoryError",
        "-Djava.net.preferIPv4Stack=true"));
    cmd.addAll(JAVA17_FLAGS);
    cmd.add("-javaagent:" + jamm);
    cmd.addAll(List.of(
        "-Dcassandra-foreground=yes",
        "-Dcassandra.config=" + dataDir.resolve("cassandra.yaml").toUri(),
        "-Dcassandra.storagedir=" + dataDir,
        "-Dcassandra.logdir=" + dataDir.resolve("logs"),
        "-Dlogback.configurationFile=" + dataDir.resolve("logback.xml"),
        "-Dcassandra.skip_wait_for_gossip_to_settle=0",
        "-Dcassandra.ring_delay_ms=100",
        "-cp", libDir.resolve("*").toString(),
        MAIN_CLASS));
    return cmd;
  }

  private void writeConfiguration() throws IOException {
    String yaml = """
        # Written by io.pekkube.persistence.journal.CassandraLauncher: one local node, nothing shared.
        cluster_name: pekkube
        num_tokens: 16
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        endpoint_snitch: SimpleSnitch
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "127.0.0.1:%2$d"
        listen_address: 127.0.0.1
        rpc_address: 127.0.0.1
        storage_port: %2$d
        start_native_transport: true
        native_transport_port: %1$d
        data_file_directories:
          - %3$s/data
        commitlog_directory: %3$s/commitlog
        saved_caches_directory: %3$s/saved_caches
        hints_directory: %3$s/hints
        cdc_raw_directory: %3$s/cdc_raw
        # Acknowledged writes survive kill -9 of Cassandra, not a power loss (fsync every 10 s).
        commitlog_sync: periodic
        commitlog_sync_period: 10000ms
        """.formatted(cqlPort, storagePort, dataDir);
    Files.writeString(dataDir.resolve("cassandra.yaml"), yaml, StandardCharsets.UTF_8);
    String logback = """
        <configuration>
          <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="STDOUT"/></root>
        </configuration>
        """;
    Files.writeString(dataDir.resolve("logback.xml"), logback, StandardCharsets.UTF_8);
  }

  private static int previousStoragePort(Path dir) {
    Path yaml = dir.resolve("cassandra.yaml");
    if (!Files.isRegularFile(yaml) || !Files.isDirectory(dir.resolve("data"))) {
      return -1;
    }
    try {
      Matcher m = STORAGE_PORT.matcher(Files.readString(yaml));
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private void awaitCql(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Cassandra exited with code " + process.exitValue()
            + " before CQL answered on port " + cqlPort + ". Last lines of " + logFile() + ":\n" + logTail());
      }
      if (portAcceptsConnections()) {
        try (CqlSession session = openSession(Duration.ofSeconds(5))) {
          session.execute("SELECT release_version FROM system.local");
          return;
        } catch (RuntimeException e) {
          last = e;
        }
      }
      sleepQuietly(Duration.ofMillis(200));
    }
    throw new IllegalStateException("Cassandra did not answer CQL on port " + cqlPort + " within " + timeout
        + (last == null ? "" : " (last error: " + last + ")") + ". Last lines of " + logFile() + ":\n"
        + logTail());
  }

  private CqlSession openSession(Duration timeout) {
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, timeout)
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, timeout)
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, timeout)
        // No schema model: it costs a full schema read per session and ~1 s per DDL statement.
        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
        .build();
    return CqlSession.builder()
        .addContactPoint(new InetSocketAddress(host(), cqlPort))
        .withLocalDatacenter(DATACENTER)
        .withConfigLoader(config)
        .build();
  }

  private boolean portAcceptsConnections() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host(), cqlPort), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Path logFile() {
    return dataDir.resolve("cassandra.log");
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * Kills the Cassandra process when this JVM disappears, even by kill -9 (a shutdown hook cannot cover
   * that). {@code tail --pid} waits without polling a shell; missing on non-Linux systems, where only the
   * shutdown hook protects.
   */
  private static Process startWatchdog(long childPid) {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return null;
    }
    long self = ProcessHandle.current().pid();
    String script = "tail --pid=" + self + " -f /dev/null 2>/dev/null && kill -9 " + childPid + " 2>/dev/null";
    try {
      return new ProcessBuilder("sh", "-c", script)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      return null;
    }
  }

  private static void killTree(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    awaitExit(p, KILL_TIMEOUT);
  }

  private void release() {
    Thread hook = shutdownHook;
    shutdownHook = null;
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The hook is running or will run; it only kills a process that is already gone.
      }
    }
    Process dog = watchdog;
    watchdog = null;
    if (dog != null) {
      // The watchdog's sh and tail; the Cassandra it guarded is gone, so its pid must not be killed later.
      dog.descendants().forEach(ProcessHandle::destroyForcibly);
      dog.destroyForcibly();
    }
  }

  private static boolean awaitExit(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Cassandra", e);
    }
  }
}
