package io.pekkube.node.runtime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A client attached to a running container ({@code kubectl attach}): the container's output from now
 * on, through taps on its log pumps (the log gets it all the same), and its input when it was started
 * with {@code stdin: true}. With {@code tty} the client gets stdout and stderr as one stream; the client's
 * resizes go to the container's own terminal when it has one ({@code tty: true}), and change nothing otherwise.
 * When the client ends its input, it is detached, as containerd detaches it: its output ends too,
 * unless the container is {@code stdinOnce} without a terminal, whose input is then closed for good
 * and whose output the client follows until the container exits.
 */
final class AttachedContainer implements AttachedStreams {
  private final List<LogPump> pumps;
  private final OutputTap stdoutTap = new OutputTap();
  private final OutputTap stderrTap;
  private final Optional<OutputStream> stdin;
  private final CompletableFuture<Optional<Integer>> ended = new CompletableFuture<>();
  private final Resizer terminal;

  /** Sets the size of the container's terminal; a container without one ignores it. */
  interface Resizer {
    void resize(int width, int height);

    Resizer NONE = (width, height) -> { };
  }

  AttachedContainer(LogPump stdout, LogPump stderr, boolean tty, Optional<OutputStream> stdin, boolean stdinOnce,
      CompletionStage<?> containerExited, Resizer terminal) {
    this.pumps = List.of(stdout, stderr);
    this.terminal = terminal;
    this.stderrTap = tty ? stdoutTap : new OutputTap();
    this.stdin = stdin.map(in -> stdinOnce && !tty ? in : new FilterOutputStream(in) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        super.close();
        detach();
      }
    });
    // The container's end is no command's outcome: kubectl attach reports none.
    containerExited.whenComplete((exit, failure) -> ended.complete(Optional.empty()));
    stdout.tap(stdoutTap);
    stderr.tap(stderrTap);
  }

  @Override
  public Optional<OutputStream> stdin() {
    return stdin;
  }

  @Override
  public InputStream stdout() {
    return stdoutTap.stream();
  }

  @Override
  public Optional<InputStream> stderr() {
    return stderrTap == stdoutTap ? Optional.empty() : Optional.of(stderrTap.stream());
  }

  @Override
  public void resize(int width, int height) {
    terminal.resize(width, height);
  }

  /** Completes when the container exits or the client has detached. */
  @Override
  public CompletionStage<Optional<Integer>> exited() {
    return ended;
  }

  private void detach() {
    for (LogPump pump : pumps) {
      pump.untap(stdoutTap);
      pump.untap(stderrTap);
    }
    stdoutTap.end();
    stderrTap.end();
    ended.complete(Optional.empty());
  }

  @Override
  public void close() {
    detach();
    stdin.ifPresent(in -> {
      try {
        in.close();
      } catch (IOException e) {
        // Closed either way.
      }
    });
  }
}
