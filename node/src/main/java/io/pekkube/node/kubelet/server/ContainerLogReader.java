package io.pekkube.node.kubelet.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Reads a container's CRI log as {@code kubectl logs} shows it: rotated files first, then the current
 * one; partial entries joined; {@code since}, {@code tailLines}, {@code timestamps} and
 * {@code limitBytes} applied as the kubelet's {@code ReadLogs} does. Following polls the current file
 * until the container has ended and everything it wrote was sent.
 */
public final class ContainerLogReader {
  private static final Duration POLL = Duration.ofMillis(200);

  private ContainerLogReader() {}

  public static Source<ByteString, NotUsed> read(Path logFile, LogRequest request, BooleanSupplier running) {
    List<String> history = new ArrayList<>();
    long offset;
    try {
      for (Path rotated : rotated(logFile)) {
        history.addAll(Files.readAllLines(rotated, StandardCharsets.UTF_8));
      }
      offset = Files.exists(logFile) ? Files.size(logFile) : 0;
      if (offset > 0) {
        byte[] bytes = readRange(logFile, 0, offset);
        int end = lastNewline(bytes);
        offset = end;
        history.addAll(new String(bytes, 0, end, StandardCharsets.UTF_8).lines().toList());
      }
    } catch (IOException e) {
      return Source.failed(e);
    }
    Formatter formatter = new Formatter(request);
    List<String> first = formatter.lines(history);
    if (request.tailLines() != null && first.size() > request.tailLines()) {
      first = first.subList(first.size() - request.tailLines().intValue(), first.size());
    }
    Source<String, NotUsed> lines = Source.from(first);
    if (request.follow()) {
      Follower follower = new Follower(logFile, offset, formatter, running);
      lines = lines.concat(Source.tick(POLL, POLL, "tick").mapMaterializedValue(c -> NotUsed.getInstance())
          .map(t -> follower.poll())
          .takeWhile(batch -> !batch.ended(), true)
          .mapConcat(Batch::lines));
    }
    Source<ByteString, NotUsed> bytes = lines.map(ByteString::fromString);
    if (request.limitBytes() != null) {
      bytes = limit(bytes, request.limitBytes());
    }
    return bytes;
  }

  /** Cuts the output after {@code limit} bytes; the stream ends with the first chunk past it. */
  private static Source<ByteString, NotUsed> limit(Source<ByteString, NotUsed> bytes, long limit) {
    return bytes.statefulMap(() -> new long[] {0}, (sent, chunk) -> {
      long left = limit - sent[0];
      ByteString out = chunk.size() <= left ? chunk : chunk.take((int) Math.max(0, left));
      sent[0] += out.size();
      return org.apache.pekko.japi.Pair.create(sent, out);
    }, sent -> java.util.Optional.empty()).takeWhile(chunk -> !chunk.isEmpty());
  }

  static List<Path> rotated(Path logFile) throws IOException {
    Path dir = logFile.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    String prefix = logFile.getFileName().toString() + ".";
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)
          && !f.getFileName().toString().endsWith(".gz")).sorted().toList();
    }
  }

  private static byte[] readRange(Path file, long from, long to) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.seek(from);
      byte[] bytes = new byte[(int) (to - from)];
      raf.readFully(bytes);
      return bytes;
    }
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i + 1;
      }
    }
    return 0;
  }

  /** Turns CRI entries into output lines (with the partial entries before them joined). */
  static final class Formatter {
    private final LogRequest request;
    private final StringBuilder partial = new StringBuilder();

    Formatter(LogRequest request) {
      this.request = request;
    }

    List<String> lines(List<String> entries) {
      List<String> out = new ArrayList<>();
      for (String entry : entries) {
        CriLogLine line = CriLogLine.parse(entry);
        if (line == null) {
          continue;
        }
        if (request.since() != null && line.time().isBefore(request.since())) {
          continue;
        }
        if (line.partial()) {
          if (partial.isEmpty() && request.timestamps()) {
            partial.append(line.timeText()).append(' ');
          }
          partial.append(line.content());
          continue;
        }
        StringBuilder text = new StringBuilder();
        if (!partial.isEmpty()) {
          text.append(partial);
          partial.setLength(0);
        } else if (request.timestamps()) {
          text.append(line.timeText()).append(' ');
        }
        text.append(line.content()).append('\n');
        out.add(text.toString());
      }
      return out;
    }
  }

  record Batch(List<String> lines, boolean ended) {}

  /** Reads what was appended to the log since the last poll; ends once the container ended and all is read. */
  static final class Follower {
    private final Path file;
    private final Formatter formatter;
    private final BooleanSupplier running;
    private long offset;
    private Object fileKey;

    Follower(Path file, long offset, Formatter formatter, BooleanSupplier running) {
      this.file = file;
      this.offset = offset;
      this.formatter = formatter;
      this.running = running;
      this.fileKey = key(file);
    }

    Batch poll() {
      boolean alive = running.getAsBoolean();
      try {
        Object key = key(file);
        if (key != null && fileKey != null && !key.equals(fileKey)) {
          // Rotated: the current file is a new one; read it from its start.
          fileKey = key;
          offset = 0;
        }
        long size = Files.exists(file) ? Files.size(file) : 0;
        if (size < offset) {
          offset = 0;
        }
        if (size == offset) {
          return new Batch(List.of(), !alive);
        }
        byte[] bytes = readRange(file, offset, size);
        int end = lastNewline(bytes);
        offset += end;
        List<String> entries = new String(bytes, 0, end, StandardCharsets.UTF_8).lines().toList();
        return new Batch(formatter.lines(entries), false);
      } catch (IOException e) {
        return new Batch(List.of(), !alive);
      }
    }

    private static Object key(Path file) {
      try {
        return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
      } catch (IOException e) {
        return null;
      }
    }
  }
}
