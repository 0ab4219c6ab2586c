package io.pekkube.node.kubelet.server.remotecommand;

import io.pekkube.node.runtime.AttachedStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;

/**
 * One remote command session as the kubelet serves it, in {@link ChannelFrames}: the client's frames in
 * (stdin, resize, the close of stdin), the process's frames out (stdout and stderr as they are read,
 * then the outcome on the error channel, after which the session ends). The process is started when
 * the flow is materialized and is closed (an exec killed, an attach detached) when the client goes.
 * The output is read on threads of {@code blocking}; a process that exited is given {@link #DRAIN} for
 * its output to end (something it left may still hold it open), then the outcome is sent regardless.
 */
public final class StreamSession {
  static final Duration DRAIN = Duration.ofSeconds(2);
  static final Duration SIZE_WAIT = Duration.ofSeconds(1);
  private static final int OUTBOX = 16;
  private static final int CHUNK = 32 * 1024;

  /** Which streams the client asked for ({@code stdin}, {@code stdout}, {@code stderr}, {@code tty}). */
  public record Options(boolean stdin, boolean stdout, boolean stderr, boolean tty) {}

  /** How the session ends: the outcome once the process has ended, or why it could not start. */
  public record Outcome(Function<Optional<Integer>, ByteString> ended, Function<Throwable, ByteString> failed) {}

  private final SourceQueueWithComplete<ByteString> outbox;
  private final CompletionStage<AttachedStreams> streams;
  private final Options options;
  private final Executor blocking;
  private final Object sending = new Object();
  /** The terminal size the process starts with: the client's first resize, when it is waited for. */
  private final CompletableFuture<Optional<ChannelFrames.TerminalSize>> firstSize;

  private StreamSession(SourceQueueWithComplete<ByteString> outbox, CompletionStage<AttachedStreams> streams,
      Options options, Executor blocking, CompletableFuture<Optional<ChannelFrames.TerminalSize>> firstSize) {
    this.outbox = outbox;
    this.streams = streams;
    this.options = options;
    this.blocking = blocking;
    this.firstSize = firstSize;
  }

  /** The session as a flow of frames; {@code start} runs the process (once per materialization). */
  public static Flow<ByteString, ByteString, NotUsed> flow(Supplier<CompletionStage<AttachedStreams>> start,
      Options options, Outcome outcome, Executor blocking) {
    return flow(size -> start.get(), false, options, outcome, blocking);
  }

  /**
   * A session whose process, when {@code sized} and on a terminal, starts once the client has sent its
   * terminal's size (kubectl sends it first), or after {@link #SIZE_WAIT} without one: {@code start} gets
   * that size, so the command's terminal has it from the start instead of changing size under it.
   */
  public static Flow<ByteString, ByteString, NotUsed> flow(
      Function<Optional<ChannelFrames.TerminalSize>, CompletionStage<AttachedStreams>> start, boolean sized,
      Options options, Outcome outcome, Executor blocking) {
    return Flow.<ByteString, ByteString, NotUsed>fromMaterializer((materializer, attributes) -> {
      Pair<SourceQueueWithComplete<ByteString>, Source<ByteString, NotUsed>> out =
          Source.<ByteString>queue(OUTBOX, OverflowStrategy.backpressure()).preMaterialize(materializer);
      CompletableFuture<Optional<ChannelFrames.TerminalSize>> firstSize = new CompletableFuture<>();
      if (sized && options.tty()) {
        firstSize.completeOnTimeout(Optional.empty(), SIZE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        firstSize.complete(Optional.empty());
      }
      StreamSession session = new StreamSession(out.first(), firstSize.thenCompose(start), options, blocking,
          firstSize);
      session.run(outcome);
      Sink<ByteString, NotUsed> in = Flow.<ByteString>create().mapAsync(1, session::received)
          .to(Sink.ignore());
      return Flow.fromSinkAndSourceCoupled(in, out.second())
          .watchTermination((notUsed, done) -> {
            done.whenComplete((d, failure) -> session.clientGone());
            return NotUsed.getInstance();
          });
    }).mapMaterializedValue(m -> NotUsed.getInstance());
  }

  private void run(Outcome outcome) {
    streams.whenCompleteAsync((s, failure) -> {
      if (failure != null) {
        send(ChannelFrames.frame(ChannelFrames.ERROR, outcome.failed().apply(unwrap(failure))));
        outbox.complete();
        return;
      }
      if (!options.stdin() && !options.tty()) {
        s.stdin().ifPresent(StreamSession::closeQuietly);
      }
      List<CompletableFuture<Void>> readers = new ArrayList<>();
      readers.add(CompletableFuture.runAsync(() -> pump(s.stdout(), ChannelFrames.STDOUT, options.stdout()), blocking));
      s.stderr().ifPresent(err -> readers.add(CompletableFuture.runAsync(
          () -> pump(err, ChannelFrames.STDERR, options.stderr()), blocking)));
      CompletableFuture<Void> drained = CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new));
      s.exited().thenCompose(code -> drained.completeOnTimeout(null, DRAIN.toMillis(), TimeUnit.MILLISECONDS)
              .thenApply(d -> code))
          .whenCompleteAsync((code, error) -> {
            send(ChannelFrames.frame(ChannelFrames.ERROR, error != null ? outcome.failed().apply(unwrap(error))
                : outcome.ended().apply(code)));
            outbox.complete();
          }, blocking);
    }, blocking);
  }

  /** Copies one output stream into frames of {@code channel} (or drops it when the client did not ask for it). */
  private void pump(InputStream in, int channel, boolean forward) {
    byte[] buffer = new byte[CHUNK];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (n > 0 && forward && !send(ChannelFrames.frame(channel, ByteString.fromArray(buffer, 0, n)))) {
          return;
        }
      }
    } catch (IOException e) {
      // The stream ended with the process.
    }
  }

  /** Sends one frame, waiting while the client is slow; false once the client has gone. */
  private boolean send(ByteString frame) {
    synchronized (sending) {
      try {
        return outbox.offer(frame).toCompletableFuture().join() instanceof QueueOfferResult.Enqueued$;
      } catch (CompletionException | IllegalStateException e) {
        return false;
      }
    }
  }

  /**
   * Frames are handled one after another (this chain keeps their order); before the process has started
   * they are only queued, so that a size the start waits for is not held up behind input typed earlier.
   */
  private CompletableFuture<Done> handled = CompletableFuture.completedFuture(Done.getInstance());

  private CompletionStage<Done> received(ByteString frame) {
    if (!firstSize.isDone() && ChannelFrames.channel(frame) == ChannelFrames.RESIZE) {
      firstSize.complete(ChannelFrames.terminalSize(ChannelFrames.data(frame)));
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    boolean started = streams.toCompletableFuture().isDone();
    handled = handled.thenCompose(d -> handle(frame));
    return started ? handled : CompletableFuture.completedFuture(Done.getInstance());
  }

  private CompletableFuture<Done> handle(ByteString frame) {
    return streams.thenApplyAsync(s -> {
      int channel = ChannelFrames.channel(frame);
      OptionalInt closed = ChannelFrames.closed(frame);
      if (channel == ChannelFrames.STDIN && options.stdin()) {
        s.stdin().ifPresent(in -> write(in, ChannelFrames.data(frame)));
      } else if (channel == ChannelFrames.RESIZE && options.tty()) {
        ChannelFrames.terminalSize(ChannelFrames.data(frame)).ifPresent(size -> s.resize(size.width(), size.height()));
      } else if (closed.isPresent() && closed.getAsInt() == ChannelFrames.STDIN) {
        s.stdin().ifPresent(StreamSession::closeQuietly);
      }
      return Done.getInstance();
    }, blocking).exceptionally(e -> Done.getInstance()).toCompletableFuture();
  }

  private static void write(OutputStream in, ByteString data) {
    try {
      in.write(data.toArray());
      in.flush();
    } catch (IOException e) {
      // The process no longer reads: what the client types goes nowhere, as with a closed pipe.
    }
  }

  private void clientGone() {
    streams.thenAccept(AttachedStreams::close);
    outbox.complete();
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      // Closed either way.
    }
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
