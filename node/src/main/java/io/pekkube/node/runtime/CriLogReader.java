package io.pekkube.node.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads a container's CRI log back as {@code kubectl logs} shows it (the kubelet's ReadLogs): partial
 * entries are joined into their line, each line ends with a newline, {@code timestamps} prefixes the
 * line with its first entry's timestamp (nine fraction digits, as the kubelet prints them), {@code sinceTime} drops older lines, {@code tailLines} keeps the last
 * lines and {@code limitBytes} cuts the output. Unparseable lines are skipped, as the kubelet does.
 */
public final class CriLogReader {
  /** The kubelet's timeFormatOut (RFC3339NanoFixed): always nine fraction digits. */
  private static final DateTimeFormatter TIMESTAMP_OUT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private CriLogReader() {}

  /** The query options of {@code GET .../pods/<name>/log} that concern the file. */
  public record Options(boolean timestamps, Optional<Instant> sinceTime, OptionalInt tailLines, OptionalLong limitBytes) {
    public static Options all() {
      return new Options(false, Optional.empty(), OptionalInt.empty(), OptionalLong.empty());
    }
  }

  /** One line of output: when its first entry was written, which stream, and its content. */
  public record Line(Instant timestamp, String stream, String content) {}

  public static String read(Path file, Options options) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    return render(parse(Files.readAllLines(file, StandardCharsets.UTF_8)), options);
  }

  /** The lines of a log file's entries, partial entries joined. */
  static List<Line> parse(List<String> entries) {
    List<Line> lines = new ArrayList<>();
    StringBuilder pending = null;
    Instant pendingAt = null;
    String pendingStream = null;
    for (String entry : entries) {
      String[] parts = entry.split(" ", 4);
      if (parts.length < 3 || !(parts[2].equals("F") || parts[2].equals("P"))) {
        continue;
      }
      Instant at;
      try {
        at = Instant.parse(parts[0]);
      } catch (DateTimeParseException e) {
        continue;
      }
      String content = parts.length == 4 ? parts[3] : "";
      if (pending == null) {
        pending = new StringBuilder();
        pendingAt = at;
        pendingStream = parts[1];
      }
      pending.append(content);
      if (parts[2].equals("F")) {
        lines.add(new Line(pendingAt, pendingStream, pending.toString()));
        pending = null;
      }
    }
    if (pending != null) {
      lines.add(new Line(pendingAt, pendingStream, pending.toString()));
    }
    return lines;
  }

  static String render(List<Line> lines, Options options) {
    List<Line> selected = lines;
    if (options.sinceTime().isPresent()) {
      Instant since = options.sinceTime().get();
      selected = selected.stream().filter(l -> !l.timestamp().isBefore(since)).toList();
    }
    if (options.tailLines().isPresent()) {
      int tail = Math.max(0, options.tailLines().getAsInt());
      selected = selected.subList(Math.max(0, selected.size() - tail), selected.size());
    }
    StringBuilder out = new StringBuilder();
    for (Line line : selected) {
      if (options.timestamps()) {
        out.append(TIMESTAMP_OUT.format(line.timestamp())).append(' ');
      }
      out.append(line.content()).append('\n');
    }
    if (options.limitBytes().isPresent()) {
      byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
      long limit = options.limitBytes().getAsLong();
      if (bytes.length > limit) {
        return new String(bytes, 0, (int) Math.max(0, limit), StandardCharsets.UTF_8);
      }
    }
    return out.toString();
  }
}
