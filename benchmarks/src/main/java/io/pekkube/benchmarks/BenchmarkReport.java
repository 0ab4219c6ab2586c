package io.pekkube.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** A benchmark's Markdown report: printed as it grows, written to a file at the end. */
final class BenchmarkReport {
  private final StringBuilder text = new StringBuilder();

  /** The title and the machine line every report starts with. */
  BenchmarkReport(String title) {
    line("# " + title);
    line("");
    line("- date: " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + "; nproc="
        + Runtime.getRuntime().availableProcessors() + ", " + ApiBenchmark.memTotal() + ", java "
        + System.getProperty("java.version") + "; load average at start: " + ApiBenchmark.loadAvg());
  }

  void line(String s) {
    System.out.println(s);
    text.append(s).append('\n');
  }

  /** Records whether the run kept a promise; a broken one ends the run (its figures would mislead). */
  void check(boolean ok, String what) {
    line("- check: " + what + ": " + (ok ? "yes" : "**NO**"));
    if (!ok) {
      throw new IllegalStateException("failed: " + what);
    }
  }

  void write(Path file) throws IOException {
    Files.writeString(file, text);
    System.out.println("\nResults written to " + file);
  }
}
