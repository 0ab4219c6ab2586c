package io.pekkube.node.runtime;

import java.io.IOException;
import java.io.InputStream;

/** An input stream that reads in chunks ({@link #readChunk}); a single byte is a chunk of one. */
abstract class ChunkInputStream extends InputStream {

  /** Reads at least one byte (blocking until there is one), or returns -1 at the end. */
  protected abstract int readChunk(byte[] b, int off, int len) throws IOException;

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return len == 0 ? 0 : readChunk(b, off, len);
  }
}
