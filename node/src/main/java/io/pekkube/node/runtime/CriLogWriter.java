package io.pekkube.node.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One container's log file in the CRI format the kubelet reads for {@code kubectl logs}:
 * {@code <RFC3339Nano timestamp> <stdout|stderr> <F|P> <content>} per line, where {@code P} marks a
 * partial line (a line longer than the buffer, continued in the next entry). The file is rotated when
 * it would exceed {@code maxBytes}, as the kubelet's container log manager does: the current file is
 * renamed {@code <name>.<yyyyMMdd-HHmmss>} and only {@code maxFiles} files (current included) are kept.
 */
final class CriLogWriter implements AutoCloseable {

  enum Source {
    STDOUT("stdout"), STDERR("stderr");

    final String tag;

    Source(String tag) {
      this.tag = tag;
    }
  }

  private static final DateTimeFormatter ROTATED_SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path file;
  private final long maxBytes;
  private final int maxFiles;
  private final Clock clock;
  private OutputStream out;
  private long size;

  CriLogWriter(Path file, long maxBytes, int maxFiles, Clock clock) {
    if (maxFiles < 2) {
      throw new IllegalArgumentException("containerLogMaxFiles must be at least 2, was " + maxFiles);
    }
    this.file = file;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    this.clock = clock;
    try {
      Files.createDirectories(file.getParent());
      open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path file() {
    return file;
  }

  /** Writes one entry; {@code content} holds no newline. */
  synchronized void write(Source stream, boolean partial, byte[] content, int offset, int length) {
    if (out == null) {
      return;
    }
    byte[] prefix = (timestamp(clock.instant()) + ' ' + stream.tag + ' ' + (partial ? 'P' : 'F') + ' ')
        .getBytes(StandardCharsets.US_ASCII);
    long entry = prefix.length + length + 1L;
    try {
      if (size > 0 && size + entry > maxBytes) {
        rotate();
      }
      out.write(prefix);
      out.write(content, offset, length);
      out.write('\n');
      out.flush();
      size += entry;
    } catch (IOException e) {
      // The entry is lost (disk full, file removed), but the pump keeps draining: a container whose
      // output is not read would block on its next write.
      reopenAfterFailure();
    }
  }

  /** RFC 3339 with up to nanosecond precision, as Go's {@code time.RFC3339Nano} prints it. */
  static String timestamp(Instant at) {
    return DateTimeFormatter.ISO_INSTANT.format(at);
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // Nothing more to write; the file stays as it is.
      }
      out = null;
    }
  }

  private void reopenAfterFailure() {
    try {
      if (out != null) {
        out.close();
      }
      open();
    } catch (IOException e) {
      // Tried again at the next entry.
    }
  }

  private void open() throws IOException {
    out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    size = Files.size(file);
  }

  private void rotate() throws IOException {
    out.close();
    Instant now = clock.instant();
    Path rotated = file.resolveSibling(file.getFileName() + "." + ROTATED_SUFFIX.format(now));
    for (int n = 1; Files.exists(rotated); n++) {
      rotated = file.resolveSibling(file.getFileName() + "." + ROTATED_SUFFIX.format(now) + "." + n);
    }
    Files.move(file, rotated);
    Files.setLastModifiedTime(rotated, FileTime.from(now));
    List<Path> old = rotatedFiles();
    for (int i = 0; i < old.size() - (maxFiles - 1); i++) {
      Files.deleteIfExists(old.get(i));
    }
    open();
  }

  /** The rotated files of this log, oldest first. */
  List<Path> rotatedFiles() throws IOException {
    String prefix = file.getFileName() + ".";
    try (Stream<Path> files = Files.list(file.getParent())) {
      List<Path> found = new ArrayList<>(files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList());
      found.sort(Comparator.comparing((Path p) -> {
        try {
          return Files.getLastModifiedTime(p);
        } catch (IOException e) {
          return FileTime.fromMillis(0);
        }
      }).thenComparing(p -> p.getFileName().toString().length()).thenComparing(Path::toString));
      return found;
    }
  }
}
