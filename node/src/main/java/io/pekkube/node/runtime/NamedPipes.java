package io.pekkube.node.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;

/**
 * FIFOs made with mkfifo(3), which Java lacks. A call, not a {@code mkfifo} process: a container start
 * forking one more process (with the JVM's descriptors to close in it) cost more CPU than the rest of the
 * start's file work when a node starts many pods at once.
 */
final class NamedPipes {
  /** Read and write for the owner only: the runtime and the container's launcher, both the node's user. */
  private static final int OWNER_ONLY = 0600;
  private static final int EEXIST = 17;

  private NamedPipes() {}

  interface LibC extends Library {
    int mkfifo(String path, int mode);
  }

  /** Loaded at first use (the holder idiom: lazy, and safe across threads). */
  private static final class Loaded {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  /** Creates each FIFO; one that cannot be made (it exists, its directory is missing...) is an IOException. */
  static void create(Path... fifos) throws IOException {
    for (Path fifo : fifos) {
      if (Loaded.LIBC.mkfifo(fifo.toString(), OWNER_ONLY) != 0) {
        int errno = Native.getLastError();
        throw new IOException("mkfifo " + fifo + " failed: " + (errno == EEXIST ? "it exists" : "errno " + errno));
      }
    }
  }
}
