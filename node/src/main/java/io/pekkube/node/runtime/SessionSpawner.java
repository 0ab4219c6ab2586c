package io.pekkube.node.runtime;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a container's shim with posix_spawn(3) in a session of its own, instead of through
 * {@link ProcessBuilder} and {@code setsid}. The JDK's helper closes every descriptor the JVM holds one by
 * one, after listing {@code /proc/self/fd}, before each exec: with the FIFOs of a hundred running
 * containers that made a start cost several milliseconds more, and a burst of starts costs the CPU
 * of all of them. Here the child closes them with one {@code close_range} ({@code addclosefrom_np})
 * and gets the default signal dispositions and an empty signal mask; the JDK awaits its exit
 * ({@link ProcessHandle#onExit()}, which does not reap it) and it is reaped here, for its exit code.
 * It needs glibc 2.34 or later ({@link #AVAILABLE}); elsewhere the runtime starts the shim as before.
 */
final class SessionSpawner {
  private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  private static final short POSIX_SPAWN_SETSID = 0x80;
  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 01;
  private static final int O_CREAT = 0100;
  private static final int O_APPEND = 02000;
  /** Larger than glibc's posix_spawnattr_t (336 bytes), posix_spawn_file_actions_t (80) and sigset_t (128). */
  private static final int OPAQUE = 1024;

  private SessionSpawner() {}

  interface LibC extends Library {
    int posix_spawnp(IntByReference pid, String file, Pointer fileActions, Pointer attributes, String[] argv,
        String[] envp);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

    int posix_spawnattr_init(Pointer attributes);

    int posix_spawnattr_destroy(Pointer attributes);

    int posix_spawnattr_setflags(Pointer attributes, short flags);

    int posix_spawnattr_setsigmask(Pointer attributes, Pointer mask);

    int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signals);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int waitpid(int pid, IntByReference status, int options);
  }

  /** Loaded at first use (the holder idiom: lazy, and safe across threads). */
  private static final class Loaded {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  /** Whether this C library has every call used here (the newest, addclosefrom_np, came with glibc 2.34). */
  static final boolean AVAILABLE = hasCalls("posix_spawn_file_actions_addclosefrom_np",
      "posix_spawn_file_actions_addchdir_np", "posix_spawnp");

  private static boolean hasCalls(String... names) {
    try {
      NativeLibrary c = NativeLibrary.getInstance("c");
      for (String name : names) {
        c.getFunction(name);
      }
      return true;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }

  /** A started child: its pid, and its exit code once it has ended (128 + signal when killed). */
  record Child(long pid, CompletableFuture<OptionalInt> exit) {}

  /**
   * Runs {@code argv} (its first word looked up on PATH) with exactly {@code env}, in {@code /}, in a new
   * session, stdin from /dev/null, stdout and stderr appended to {@code output}.
   */
  static Child spawn(List<String> argv, Map<String, String> env, Path output) throws IOException {
    LibC c = Loaded.LIBC;
    Memory actions = new Memory(OPAQUE);
    Memory attributes = new Memory(OPAQUE);
    Memory noSignals = new Memory(OPAQUE);
    Memory allSignals = new Memory(OPAQUE);
    check(c.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
    try {
      check(c.posix_spawnattr_init(attributes), "posix_spawnattr_init");
      try {
        check(c.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin");
        check(c.posix_spawn_file_actions_addopen(actions, 1, output.toString(), O_WRONLY | O_CREAT | O_APPEND,
            0644), "addopen stdout");
        check(c.posix_spawn_file_actions_adddup2(actions, 1, 2), "adddup2 stderr");
        check(c.posix_spawn_file_actions_addclosefrom_np(actions, 3), "addclosefrom_np");
        check(c.posix_spawn_file_actions_addchdir_np(actions, "/"), "addchdir_np");
        c.sigemptyset(noSignals);
        c.sigfillset(allSignals);
        check(c.posix_spawnattr_setsigmask(attributes, noSignals), "setsigmask");
        check(c.posix_spawnattr_setsigdefault(attributes, allSignals), "setsigdefault");
        check(c.posix_spawnattr_setflags(attributes,
            (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)), "setflags");
        String[] envp = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        IntByReference pid = new IntByReference();
        int error = c.posix_spawnp(pid, argv.get(0), actions, attributes, argv.toArray(String[]::new), envp);
        if (error != 0) {
          throw new IOException("cannot start " + argv.get(0) + ": errno " + error);
        }
        return new Child(pid.getValue(), exitOf(pid.getValue()));
      } finally {
        c.posix_spawnattr_destroy(attributes);
      }
    } finally {
      c.posix_spawn_file_actions_destroy(actions);
    }
  }

  /**
   * The JDK waits for the child without reaping it (waitid with WNOWAIT); then its status is collected
   * here, which also removes the zombie (at once: the child has ended, so waitpid does not block).
   */
  private static CompletableFuture<OptionalInt> exitOf(int pid) {
    CompletableFuture<ProcessHandle> ended = ProcessHandle.of(pid)
        .map(ProcessHandle::onExit).orElseGet(() -> CompletableFuture.completedFuture(null));
    return ended.thenApply(handle -> reap(pid));
  }

  private static OptionalInt reap(int pid) {
    IntByReference status = new IntByReference();
    if (Loaded.LIBC.waitpid(pid, status, 0) != pid) {
      return OptionalInt.empty();
    }
    int s = status.getValue();
    int signal = s & 0x7f;
    return OptionalInt.of(signal == 0 ? (s >> 8) & 0xff : 128 + signal);
  }

  private static void check(int result, String call) throws IOException {
    if (result != 0) {
      throw new IOException(call + " failed: errno " + result);
    }
  }
}
