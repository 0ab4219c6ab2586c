package io.pekkube.node.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * What a container's shim start costs in the JVM, by the two paths {@link ProcessRuntime#startShim} has
 * (posix_spawn, and ProcessBuilder with setsid), with the JVM holding {@code --open-files} more files
 * (default 700), as a kubelet holds its containers' FIFOs: 100 starts of {@code true}, one after another, then their exits;
 * the wall time of the whole, five rounds each. In this package to reach the runtime's own start path.
 *
 * <p>Run with {@code benchmarks/run.sh shim-start [--open-files N]}.
 */
public final class ShimStartBenchmark {
  static final int STARTS = 100;
  static final int ROUNDS = 5;

  public static void main(String[] args) throws Exception {
    int openFiles = 700;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--open-files" -> openFiles = Integer.parseInt(args[++i]);
        case "--root" -> i++;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    List<FileChannel> held = new ArrayList<>();
    for (int i = 0; i < openFiles; i++) {
      held.add(FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ));
    }
    Path log = Files.createTempFile("shim-start", ".log");
    System.out.println("| JVM files held | start path | ms per " + STARTS + " starts, " + ROUNDS + " rounds |");
    System.out.println("|---|---|---|");
    for (boolean posixSpawn : new boolean[] {false, true}) {
      List<Long> rounds = new ArrayList<>();
      for (int r = 0; r < ROUNDS; r++) {
        rounds.add(round(posixSpawn, log));
      }
      System.out.println("| " + openFiles() + " | " + (posixSpawn ? "posix_spawn" : "ProcessBuilder + setsid")
          + " | " + rounds + " |");
    }
    Files.deleteIfExists(log);
    System.exit(0);
  }

  private static long round(boolean posixSpawn, Path log) throws Exception {
    long start = System.nanoTime();
    List<CompletableFuture<OptionalInt>> exits = new ArrayList<>();
    for (int i = 0; i < STARTS; i++) {
      exits.add(ProcessRuntime.startShim(posixSpawn, List.of("true"), Map.of("PATH", "/usr/bin:/bin"), log).exit());
    }
    for (CompletableFuture<OptionalInt> exit : exits) {
      exit.get();
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** The descriptors the JVM holds (its jars included), as the JDK's helper has to close them. */
  private static long openFiles() throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count() - 1;
    }
  }
}
