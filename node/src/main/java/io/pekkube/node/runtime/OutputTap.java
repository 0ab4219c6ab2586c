package io.pekkube.node.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A container's output as one attached client reads it, from the moment it attached: the log pumps
 * hand it each chunk they read, and the client reads them from {@link #stream()}. The pumps never
 * wait for a client: one that falls more than {@link #LIMIT} bytes behind misses what comes meanwhile.
 */
final class OutputTap {
  static final long LIMIT = 1 << 20;
  private static final byte[] END = new byte[0];

  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
  private final AtomicLong buffered = new AtomicLong();

  /** Called by a pump with a chunk it read; never blocks. */
  void accept(byte[] chunk) {
    if (chunk.length > 0 && buffered.addAndGet(chunk.length) <= LIMIT) {
      chunks.add(chunk);
    } else {
      buffered.addAndGet(-chunk.length);
    }
  }

  /** No more output comes (the stream ended, or the client detached). */
  void end() {
    chunks.add(END);
  }

  InputStream stream() {
    return new ChunkInputStream() {
      private byte[] current = new byte[0];
      private int position;
      private boolean ended;

      @Override
      protected int readChunk(byte[] b, int off, int len) throws IOException {
        while (position == current.length) {
          if (ended) {
            return -1;
          }
          try {
            current = chunks.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
          }
          position = 0;
          ended = current == END;
          buffered.addAndGet(-current.length);
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
      }
    };
  }
}
