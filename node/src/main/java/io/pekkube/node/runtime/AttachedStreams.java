package io.pekkube.node.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The standard streams of a process a client is attached to: a command run in a container with its
 * streams ({@code kubectl exec}), or a running container ({@code kubectl attach}). With a terminal
 * there is one output stream, as in Kubernetes, so {@link #stderr()} is empty.
 */
public interface AttachedStreams {

  /** Where the client's input goes; empty when the process takes none. Closing it is end of input. */
  Optional<OutputStream> stdin();

  /** The process's output as it comes; ends once the process and what it left have closed it. */
  InputStream stdout();

  Optional<InputStream> stderr();

  /** The client's terminal changed size (columns, rows); nothing happens without a terminal. */
  void resize(int width, int height);

  /**
   * Completes when the process has ended, with its exit code; empty for an attached container,
   * whose end is not the client's command's (kubectl attach reports no code).
   */
  CompletionStage<Optional<Integer>> exited();

  /** The client has gone: an exec is killed with all it started, an attached container runs on. */
  void close();
}
