package io.pekkube.node.runtime;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pseudo-terminal pair (posix_openpt) whose master side the runtime holds: the process opens
 * {@link #slavePath()} as its stdin, stdout and stderr (and, as a session leader, its controlling
 * terminal); what it writes is read from {@link #output()}, what is written to {@link #input()} it reads
 * as typed, and {@link #resize} sets the window size it sees (SIGWINCH). Java has no terminal API, so
 * the C library is called through JNA.
 */
public final class PseudoTerminal implements AutoCloseable {
  // Linux values (the same on x86-64 and arm64).
  private static final int O_RDWR = 2;
  private static final int O_NOCTTY = 0400;
  private static final long TIOCSWINSZ = 0x5414;
  private static final int F_SETFL = 4;
  private static final int O_NONBLOCK = 04000;
  private static final short POLLIN = 0x1;
  private static final short POLLOUT = 0x4;
  private static final int EINTR = 4;
  private static final int EAGAIN = 11;
  private static final int EIO = 5;
  /** How often a waiting read or write looks whether the terminal was closed meanwhile. */
  private static final int POLL_MILLIS = 200;

  /** The C library calls this class needs. */
  interface LibC extends Library {
    int posix_openpt(int flags);

    int grantpt(int fd);

    int unlockpt(int fd);

    int ptsname_r(int fd, byte[] buffer, NativeLong length);

    int ioctl(int fd, NativeLong request, Memory argument);

    int poll(Memory fds, NativeLong count, int timeoutMillis);

    int fcntl(int fd, int command, int argument);

    int open(String path, int flags);

    NativeLong read(int fd, byte[] buffer, NativeLong count);

    NativeLong write(int fd, byte[] buffer, NativeLong count);

    int close(int fd);
  }

  private static volatile LibC libc;

  private final int master;
  private final String slavePath;
  // Each operation runs under its lock and checks `closed` first, so the descriptor is never used after
  // close (when its number may already belong to another file).
  private final ReentrantLock readLock = new ReentrantLock(true);
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private volatile boolean closed;
  private int heldSlave;

  private PseudoTerminal(int master, String slavePath, int heldSlave) {
    this.master = master;
    this.slavePath = slavePath;
    this.heldSlave = heldSlave;
  }

  /** Opens a new pair; the window starts at 80x24, as a terminal emulator's would. */
  public static PseudoTerminal open() throws IOException {
    LibC c = libc();
    int fd = c.posix_openpt(O_RDWR | O_NOCTTY);
    if (fd < 0) {
      throw new IOException("posix_openpt failed: errno " + Native.getLastError());
    }
    byte[] name = new byte[128];
    if (c.grantpt(fd) != 0 || c.unlockpt(fd) != 0 || c.ptsname_r(fd, name, new NativeLong(name.length)) != 0
        || c.fcntl(fd, F_SETFL, O_RDWR | O_NONBLOCK) != 0) {
      int errno = Native.getLastError();
      c.close(fd);
      throw new IOException("cannot set up the pseudo-terminal: errno " + errno);
    }
    int length = 0;
    while (length < name.length && name[length] != 0) {
      length++;
    }
    String slavePath = new String(name, 0, length, StandardCharsets.US_ASCII);
    // Held until the process has run: a master whose slave is not open reads as hung up (EIO).
    int slave = c.open(slavePath, O_RDWR | O_NOCTTY);
    if (slave < 0) {
      int errno = Native.getLastError();
      c.close(fd);
      throw new IOException("cannot open " + slavePath + ": errno " + errno);
    }
    PseudoTerminal terminal = new PseudoTerminal(fd, slavePath, slave);
    terminal.resize(80, 24);
    return terminal;
  }

  private static LibC libc() {
    if (libc == null) {
      synchronized (PseudoTerminal.class) {
        if (libc == null) {
          libc = Native.load("c", LibC.class);
        }
      }
    }
    return libc;
  }

  /** The slave device, e.g. {@code /dev/pts/3}. */
  public String slavePath() {
    return slavePath;
  }

  /** Sets the window size (columns, rows); the foreground process group gets SIGWINCH. */
  public void resize(int width, int height) throws IOException {
    Memory winsize = windowSize(width, height);
    writeLock.lock();
    try {
      if (!closed && libc().ioctl(master, new NativeLong(TIOCSWINSZ), winsize) != 0) {
        throw new IOException("TIOCSWINSZ failed: errno " + Native.getLastError());
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Sets the size of a terminal another process holds, through its slave device ({@code /dev/pts/3}): the
   * kernel then tells the terminal's foreground process group (SIGWINCH), as after a resize of the master.
   */
  static void resizeDevice(String device, int width, int height) throws IOException {
    LibC c = libc();
    int fd = c.open(device, O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
      throw new IOException("cannot open " + device + ": errno " + Native.getLastError());
    }
    try {
      if (c.ioctl(fd, new NativeLong(TIOCSWINSZ), windowSize(width, height)) != 0) {
        throw new IOException("TIOCSWINSZ on " + device + " failed: errno " + Native.getLastError());
      }
    } finally {
      c.close(fd);
    }
  }

  /** A {@code struct winsize}: rows, columns, and pixel sizes left 0. */
  private static Memory windowSize(int width, int height) {
    Memory winsize = new Memory(8);
    winsize.setShort(0, (short) height);
    winsize.setShort(2, (short) width);
    winsize.setShort(4, (short) 0);
    winsize.setShort(6, (short) 0);
    return winsize;
  }

  /**
   * Lets go of the slave side the runtime held open while the process started; once the process and
   * whatever it left have closed it too, {@link #output()} ends.
   */
  public void releaseSlave() {
    writeLock.lock();
    try {
      if (heldSlave >= 0) {
        libc().close(heldSlave);
        heldSlave = -1;
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** What the process writes; end of stream once every holder of the slave side has closed it, or on {@link #close}. */
  public InputStream output() {
    return new ChunkInputStream() {
      @Override
      protected int readChunk(byte[] b, int off, int len) throws IOException {
        byte[] buffer = off == 0 ? b : new byte[len];
        while (true) {
          long n;
          int errno;
          readLock.lock();
          try {
            if (closed) {
              return -1;
            }
            if (!ready(POLLIN)) {
              continue;
            }
            n = libc().read(master, buffer, new NativeLong(len)).longValue();
            errno = n < 0 ? Native.getLastError() : 0;
          } finally {
            readLock.unlock();
          }
          if (n > 0) {
            if (buffer != b) {
              System.arraycopy(buffer, 0, b, off, (int) n);
            }
            return (int) n;
          }
          if (n == 0 || errno == EIO) {
            return -1;
          }
          if (errno != EINTR && errno != EAGAIN) {
            throw new IOException("reading the terminal failed: errno " + errno);
          }
        }
      }
    };
  }

  /** What the process reads, as if typed. */
  public OutputStream input() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        byte[] rest = off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len);
        while (rest.length > 0) {
          long n;
          int errno;
          writeLock.lock();
          try {
            if (closed) {
              throw new IOException("the terminal is closed");
            }
            if (!ready(POLLOUT)) {
              continue;
            }
            n = libc().write(master, rest, new NativeLong(rest.length)).longValue();
            errno = n < 0 ? Native.getLastError() : 0;
          } finally {
            writeLock.unlock();
          }
          if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
              continue;
            }
            throw new IOException("writing to the terminal failed: errno " + errno);
          }
          rest = java.util.Arrays.copyOfRange(rest, (int) n, rest.length);
        }
      }
    };
  }

  /** Waits up to {@link #POLL_MILLIS} until {@code events} (or a hang-up) can be served without blocking. */
  private boolean ready(short events) {
    Memory pollfd = new Memory(8);
    pollfd.setInt(0, master);
    pollfd.setShort(4, events);
    pollfd.setShort(6, (short) 0);
    return libc().poll(pollfd, new NativeLong(1), POLL_MILLIS) > 0;
  }

  /** Closes the master side: the process's terminal hangs up. */
  @Override
  public void close() {
    releaseSlave();
    readLock.lock();
    writeLock.lock();
    try {
      if (!closed) {
        closed = true;
        libc().close(master);
      }
    } finally {
      writeLock.unlock();
      readLock.unlock();
    }
  }
}
