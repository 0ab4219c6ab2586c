package io.pekkube.node.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host command line that starts a container or an exec in it. A container runs under a shim
 * ({@code sh} in a session of its own, like containerd's shim) that waits for it and writes its exit
 * code to the state directory. Below the shim the chain only {@code exec}s, so the container's pid
 * (written to the state directory first) is the pid of its own command: {@code setsid} (a new session and process
 * group, signalled as one), optionally {@code unshare -m} (a private mount namespace for the volume
 * bind mounts), a short {@code sh} prologue (join the cgroups, mount, working dir, then output to the
 * log FIFOs) and optionally {@code setpriv} (runAsUser/runAsGroup). A prologue step that fails exits
 * with {@link #PROLOGUE_FAILED} and leaves its message in the launch log.
 *
 * <p>A container with {@code tty: true} runs under util-linux {@code script}, which holds a
 * pseudo-terminal for it and copies between that and the FIFOs: the terminal outlives the kubelet's JVM
 * like the rest of the container (a terminal the JVM held would hang up when it died). Its output is one
 * stream, with the terminal's line endings and echo; {@code script} passes SIGTERM on to the command
 * and kills it shortly after. An attached client's resizes are set on the terminal's slave device
 * ({@link ContainerTerminal}).
 */
final class LaunchCommand {
  /** The exit code of a failed prologue step (runc's code for a container that could not start). */
  static final int PROLOGUE_FAILED = 128;
  /** Files of the state directory: the output FIFOs, the container's pid and the exit code the shim keeps. */
  static final String STDOUT_FIFO = "stdout";
  static final String STDERR_FIFO = "stderr";
  /** The FIFO a container with {@code stdin: true} reads its input from. */
  static final String STDIN_FIFO = "stdin";
  static final String PID_FILE = "pid";
  static final String EXIT_FILE = "exit";
  static final String LAUNCH_LOG = "launch.log";

  private LaunchCommand() {}

  /** How one mount is made: {@code directory} tells whether the mount point is a directory or a file. */
  record BindMount(Path hostPath, String containerPath, boolean readOnly, boolean directory) {}

  /** Everything decided about one container's launch. */
  record Plan(
      List<String> command,
      Path stateDir,
      List<Path> cgroups,
      List<BindMount> mounts,
      boolean readOnlyRoot,
      String workingDir,
      List<String> setpriv,
      ContainerSpec.Streams streams) {}

  static List<String> container(Plan plan) {
    Path exit = plan.stateDir().resolve(EXIT_FILE);
    // The shim: its own session, waits for the container and keeps its exit code in the state directory,
    // where a runtime that adopts the container after a restart reads it. The code and the pid below are
    // each one write of a line, read only once complete (ending in a newline): no rename, so no `mv`
    // process per start and per exit.
    // Started in a session of its own (SessionSpawner), so that the shim outlives the kubelet's JVM.
    List<String> argv = new ArrayList<>(List.of("sh", "-c",
        "\"$@\"; code=$?; echo $code > " + quote(exit.toString()) + "; exit $code", "pekkube-shim", "setsid"));
    boolean namespace = !plan.mounts().isEmpty() || plan.readOnlyRoot();
    if (namespace) {
      argv.addAll(List.of("unshare", "--mount", "--propagation", "private", "--"));
    }
    // Until the last exec, output goes to the launch log: a failing step is a start error, not container output.
    StringBuilder script = new StringBuilder();
    Path pid = plan.stateDir().resolve(PID_FILE);
    script.append("echo $$ > ").append(quote(pid.toString())).append(" || exit 128\n");
    joinCgroups(script, plan.cgroups());
    for (BindMount m : plan.mounts()) {
      String target = quote(m.containerPath());
      script.append(m.directory() ? "mkdir -p " + target : "mkdir -p \"$(dirname " + target + ")\" && touch " + target)
          .append(" && mount --bind ").append(quote(m.hostPath().toString())).append(' ').append(target);
      if (m.readOnly()) {
        script.append(" && mount -o remount,bind,ro ").append(target);
      }
      script.append(" || exit 128\n");
    }
    String dir = quote(plan.workingDir().isEmpty() ? "/" : plan.workingDir());
    // `[` is the shell's own: no mkdir process when the directory is there, as it mostly is.
    script.append("[ -d ").append(dir).append(" ] || mkdir -p ").append(dir).append(" 2>/dev/null\n");
    if (plan.readOnlyRoot()) {
      // Best effort: only the root mount becomes read-only; other host mounts (e.g. /tmp) stay writable.
      script.append("mount -o remount,bind,ro / || exit 128\n");
    }
    script.append("cd ").append(dir).append(" || exit 128\n");
    script.append("exec ");
    if (plan.streams().stdin() || plan.streams().tty()) {
      // Kept open, the container holds a write end itself and never sees end of input; read-only, it
      // sees it when the runtime closes the write end it opened first (stdinOnce). A terminal without
      // stdin reads a FIFO nobody writes to: it waits for input forever, as a container's terminal does.
      script.append(plan.streams().stdin() && plan.streams().stdinOnce() ? "0<" : "0<>")
          .append(quote(plan.stateDir().resolve(STDIN_FIFO).toString())).append(' ');
    }
    script.append("1<>").append(quote(plan.stateDir().resolve(STDOUT_FIFO).toString()))
        .append(" 2<>").append(quote(plan.stateDir().resolve(STDERR_FIFO).toString())).append('\n');
    script.append("exec ").append(String.join(" ", plan.setpriv().stream().map(LaunchCommand::quote).toList()))
        .append(plan.setpriv().isEmpty() ? "" : " ").append("\"$@\"\n");
    argv.addAll(List.of("sh", "-c", script.toString(), "pekkube-container"));
    argv.addAll(plan.streams().tty() ? onTerminal(plan.command()) : plan.command());
    return argv;
  }

  /** The command run on a pseudo-terminal of its own: quiet, flushing, with the command's exit code. */
  static List<String> onTerminal(List<String> command) {
    String line = String.join(" ", command.stream().map(LaunchCommand::quote).toList());
    return List.of("script", "--quiet", "--return", "--flush", "--command", "exec " + line, "/dev/null");
  }

  /**
   * An exec in a running container: same session trick (so a timeout kills all it started), its
   * mount namespace when it has one, its cgroups, working dir and user. With a {@code terminal} (a
   * pseudo-terminal's slave device) the command gets it as stdin, stdout and stderr, and, the shell
   * being the session's leader, as its controlling terminal (opening a terminal makes it so).
   */
  static List<String> exec(List<String> command, long containerPid, boolean inMountNamespace, List<Path> cgroups,
      String workingDir, List<String> setpriv, Optional<String> terminal) {
    List<String> argv = new ArrayList<>(List.of("setsid"));
    if (inMountNamespace) {
      argv.addAll(List.of("nsenter", "--target", Long.toString(containerPid), "--mount", "--"));
    }
    StringBuilder script = new StringBuilder();
    terminal.ifPresent(t -> script.append("exec 0<>").append(quote(t)).append(" 1>&0 2>&0 || exit 128\n"));
    joinCgroups(script, cgroups);
    changeDirectory(script, workingDir);
    script.append("exec ").append(String.join(" ", setpriv.stream().map(LaunchCommand::quote).toList()))
        .append(setpriv.isEmpty() ? "" : " ").append("\"$@\"\n");
    argv.addAll(List.of("sh", "-c", script.toString(), "pekkube-exec"));
    argv.addAll(command);
    return argv;
  }

  /** {@code setpriv} arguments for the security context, or none. */
  static List<String> setpriv(ContainerSpec.Security security, boolean enforced) {
    if (!enforced || (security.runAsUser().isEmpty() && security.runAsGroup().isEmpty())) {
      return List.of();
    }
    List<String> args = new ArrayList<>(List.of("setpriv"));
    security.runAsUser().ifPresent(uid -> args.add("--reuid=" + uid));
    args.add("--regid=" + security.runAsGroup().orElse(0));
    args.add("--clear-groups");
    args.add("--");
    return args;
  }

  private static void joinCgroups(StringBuilder script, List<Path> cgroups) {
    for (Path cgroup : cgroups) {
      script.append("echo $$ > ").append(quote(cgroup.resolve("cgroup.procs").toString())).append(" || exit 128\n");
    }
  }

  private static void changeDirectory(StringBuilder script, String workingDir) {
    String dir = quote(workingDir.isEmpty() ? "/" : workingDir);
    script.append("mkdir -p ").append(dir).append(" 2>/dev/null; cd ").append(dir).append(" || exit 128\n");
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
