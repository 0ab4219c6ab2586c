package io.pekkube.node.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/** Signals to process groups and process identity from /proc (Java has neither). */
final class ProcessGroups {
  private ProcessGroups() {}

  /** The one C library call Java lacks here: a signal to a whole process group. */
  interface Signals extends Library {
    int kill(int pid, int signal);
  }

  private static final Map<String, Integer> NUMBERS = Map.of("TERM", 15, "KILL", 9);
  private static volatile Signals signals;

  /**
   * Sends {@code signal} (TERM, KILL) to every process of the group led by {@code pgid}: kill(2) with a
   * negative pid, a system call that does not block (callers include actors; forking {@code kill(1)} and
   * waiting for it held their dispatcher threads). A group already gone is not an error.
   * {@code pgid} 0 or 1 is refused without a word: see below.
   */
  static void signal(long pgid, String signal) {
    Integer number = NUMBERS.get(signal);
    if (number == null) {
      throw new IllegalArgumentException("unknown signal " + signal);
    }
    if (pgid <= 1 || pgid > Integer.MAX_VALUE) {
      // Never a container's group (its pid is read from the launcher): kill(0) would signal our own group
      // and kill(-1) every process we may signal.
      return;
    }
    signals().kill((int) -pgid, number);
  }

  private static Signals signals() {
    if (signals == null) {
      synchronized (ProcessGroups.class) {
        if (signals == null) {
          signals = Native.load("c", Signals.class);
        }
      }
    }
    return signals;
  }

  /**
   * The process's start time in clock ticks since boot (field 22 of /proc/pid/stat); together with
   * the pid it identifies a process, since pids are reused.
   */
  static OptionalLong startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return OptionalLong.of(Long.parseLong(fields[19]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** The process group of {@code pid} (field 5 of /proc/pid/stat). */
  static OptionalLong processGroup(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return OptionalLong.of(Long.parseLong(fields[2]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
