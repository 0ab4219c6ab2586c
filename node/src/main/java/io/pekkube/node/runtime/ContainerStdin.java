package io.pekkube.node.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The input of a container started with {@code stdin: true}: a FIFO in its state directory that
 * attached clients write to. Without {@code stdinOnce} the container holds a write end itself, so its
 * input stays open across clients (and runtime restarts); each client writes through a handle of its
 * own. With {@code stdinOnce} the runtime opens the only write end before the start and hands it to
 * the first client; when that client detaches it is closed, and the container reads end of input.
 */
final class ContainerStdin {
  private final Path fifo;
  private final boolean once;
  private FileChannel held;
  private boolean handedOut;

  private ContainerStdin(Path fifo, boolean once, FileChannel held) {
    this.fifo = fifo;
    this.once = once;
    this.held = held;
  }

  /** Before the start; the FIFO exists. Read-write opens never block on a FIFO. */
  static ContainerStdin beforeStart(Path fifo, boolean once) throws IOException {
    return new ContainerStdin(fifo, once, once ? readWrite(fifo) : null);
  }

  /** A container a restarted runtime adopts: a stdinOnce write end died with the runtime that held it. */
  static ContainerStdin adopted(Path fifo, boolean once) {
    return new ContainerStdin(fifo, once, null);
  }

  /** A writer for one client; empty once a stdinOnce input was handed out (or closed). */
  synchronized Optional<OutputStream> open() throws IOException {
    if (!once) {
      return Optional.of(Channels.newOutputStream(readWrite(fifo)));
    }
    if (held == null || handedOut) {
      return Optional.empty();
    }
    handedOut = true;
    FileChannel channel = held;
    return Optional.of(new java.io.FilterOutputStream(Channels.newOutputStream(channel)) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        ContainerStdin.this.close();
      }
    });
  }

  /** Closes the held write end (the container has exited, or its only client detached). */
  synchronized void close() {
    if (held != null) {
      try {
        held.close();
      } catch (IOException e) {
        // Closed either way.
      }
      held = null;
    }
  }

  private static FileChannel readWrite(Path fifo) throws IOException {
    return FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }
}
