package io.pekkube.node.runtime;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The container runtimes' settings, read from {@code pekkube.node.runtime} in one place.
 *
 * @param kind                  {@code process} (real OS processes) or {@code simulated}
 * @param rootDirectory         where the process runtime keeps one state directory per container
 * @param containerLogMaxSize   a container's log file is rotated when it would grow past this (bytes)
 * @param containerLogMaxFiles  log files kept per container, the current one included (at least 2)
 * @param execOutputLimit       bytes of stdout and of stderr an exec probe or hook returns (the rest is cut)
 * @param simulatedStartDelay   how long a simulated container takes to start
 */
public record RuntimeSettings(String kind, Path rootDirectory, long containerLogMaxSize, int containerLogMaxFiles,
    int execOutputLimit, Duration simulatedStartDelay) {

  public static RuntimeSettings from(Config config) {
    Config c = config.getConfig("pekkube.node.runtime");
    String root = c.getString("root-directory");
    return new RuntimeSettings(
        c.getString("kind"),
        root.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir"), "pekkube-runtime") : Path.of(root),
        c.getBytes("container-log-max-size"),
        c.getInt("container-log-max-files"),
        c.getBytes("exec-output-limit").intValue(),
        c.getDuration("simulated.start-delay"));
  }

  /** Kubernetes' defaults under {@code rootDirectory}. */
  public static RuntimeSettings defaults(Path rootDirectory) {
    return new RuntimeSettings("process", rootDirectory, 10L << 20, 5, 1 << 20, Duration.ofSeconds(1));
  }

  public RuntimeSettings withLogRotation(long maxSize, int maxFiles) {
    return new RuntimeSettings(kind, rootDirectory, maxSize, maxFiles, execOutputLimit, simulatedStartDelay);
  }
}
