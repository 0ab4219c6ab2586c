package io.pekkube.node.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The terminal of a running {@code tty: true} container. Its launcher ({@code script}, the container's
 * process) holds the master side; the command, its child, has the slave as its controlling terminal.
 * A client's resize ({@code kubectl attach -t}) is set on that slave device, so the command gets SIGWINCH
 * and the new size, as a container runtime resizes a container's console.
 */
final class ContainerTerminal {
  /** The majors of Unix98 pseudo-terminal slaves ({@code /dev/pts/N}). */
  private static final int PTS_FIRST_MAJOR = 136;
  private static final int PTS_LAST_MAJOR = 143;

  private ContainerTerminal() {}

  /** Resizes the terminal of the container whose launcher is {@code pid}; false when it has none (yet). */
  static boolean resize(long pid, int width, int height) throws IOException {
    Optional<String> device = deviceOf(pid);
    if (device.isEmpty()) {
      return false;
    }
    PseudoTerminal.resizeDevice(device.get(), width, height);
    return true;
  }

  /** The pseudo-terminal device that a child of {@code pid} has as its controlling terminal. */
  static Optional<String> deviceOf(long pid) {
    String children;
    try {
      children = Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children"));
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String child : children.trim().split("\\s+")) {
      if (!child.isEmpty()) {
        Optional<String> device = controllingTerminal(child);
        if (device.isPresent()) {
          return device;
        }
      }
    }
    return Optional.empty();
  }

  /** {@code tty_nr} of /proc/pid/stat (field 7), when it is a /dev/pts device. */
  private static Optional<String> controllingTerminal(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      int tty = Integer.parseInt(fields[4]);
      int major = (tty >> 8) & 0xfff;
      int minor = (tty & 0xff) | ((tty >> 12) & 0xfff00);
      return major >= PTS_FIRST_MAJOR && major <= PTS_LAST_MAJOR ? Optional.of("/dev/pts/" + ((major - PTS_FIRST_MAJOR) * 256 + minor)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
