package io.pekkube.node.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Copies one output stream of a container (a FIFO the process writes to) into its CRI log, line by
 * line. A line longer than {@link #MAX_LINE} bytes is cut into partial entries, as containerd does.
 *
 * <p>The pump holds a write end of the FIFO itself until the runtime has seen the main process exit
 * ({@link #releaseWriter()}): a FIFO whose last writer closes before a reader came drops its
 * buffer, and a reader without writers would see end of stream before the container opened its end.
 * The container holds its end open read-write, so the FIFO also outlives the JVM, and a restarted
 * runtime attaches a new pump and loses nothing but a line cut in half.
 *
 * <p>Clients attached to the container ({@code kubectl attach}) get what the pump reads as it reads
 * it, through {@link OutputTap}s that never hold the pump up.
 */
final class LogPump implements Runnable {
  static final int MAX_LINE = 16 * 1024;

  private final CriLogWriter.Source source;
  private final CriLogWriter log;
  private final FileChannel writer;
  private final FileChannel reader;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final List<OutputTap> taps = new CopyOnWriteArrayList<>();

  private LogPump(CriLogWriter.Source source, CriLogWriter log, FileChannel writer, FileChannel reader) {
    this.source = source;
    this.log = log;
    this.writer = writer;
    this.reader = reader;
  }

  /** Opens the FIFO (never blocks: the pump's own write end is opened first) and starts copying. */
  static LogPump start(Path fifo, CriLogWriter.Source source, CriLogWriter log, String name) throws IOException {
    FileChannel writer = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileChannel reader;
    try {
      reader = FileChannel.open(fifo, StandardOpenOption.READ);
    } catch (IOException e) {
      writer.close();
      throw e;
    }
    LogPump pump = new LogPump(source, log, writer, reader);
    Thread thread = new Thread(pump, name);
    thread.setDaemon(true);
    thread.start();
    return pump;
  }

  /** Completes at end of stream: every process holding the FIFO for writing has exited. */
  CompletableFuture<Void> done() {
    return done;
  }

  /** Hands {@code tap} everything read from now on; it is ended with the stream. */
  void tap(OutputTap tap) {
    taps.add(tap);
    if (done.isDone() && taps.remove(tap)) {
      tap.end();
    }
  }

  void untap(OutputTap tap) {
    taps.remove(tap);
  }

  /** The main process has exited: once its leftovers are gone too, the reader gets end of stream. */
  void releaseWriter() {
    closeQuietly(writer);
  }

  /** Stops reading without waiting for the end of the stream (the runtime is closing, not the container). */
  void detach() {
    closeQuietly(writer);
    closeQuietly(reader);
  }

  @Override
  public void run() {
    byte[] line = new byte[MAX_LINE];
    int length = 0;
    try {
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (reader.read(buffer) >= 0) {
        for (OutputTap tap : taps) {
          tap.accept(Arrays.copyOf(buffer.array(), buffer.position()));
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          byte b = buffer.get();
          if (b == '\n') {
            log.write(source, false, line, 0, length);
            length = 0;
          } else {
            line[length++] = b;
            if (length == MAX_LINE) {
              log.write(source, true, line, 0, length);
              length = 0;
            }
          }
        }
        buffer.clear();
      }
      if (length > 0) {
        log.write(source, false, line, 0, length);
      }
    } catch (ClosedChannelException detached) {
      // detach(): the container keeps running; a later runtime attaches again.
    } catch (IOException | RuntimeException e) {
      // The log is best effort; the container's lifecycle does not depend on it.
    } finally {
      closeQuietly(reader);
      done.complete(null);
      for (OutputTap tap : taps) {
        if (taps.remove(tap)) {
          tap.end();
        }
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closed either way.
    }
  }
}
