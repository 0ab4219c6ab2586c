package io.pekkube.node.kubelet.server.remotecommand;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.api.Json;
import io.pekkube.node.runtime.AttachedStreams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The kubelet's side of a stream session, against a process made of in-memory streams. */
class StreamSessionTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final ExecutorService BLOCKING = Executors.newCachedThreadPool();
  private static final StreamSession.Outcome EXEC = new StreamSession.Outcome(
      code -> ExecStatus.exitCode(List.of("cmd"), code.orElse(0)), failure -> ExecStatus.internalError(failure.getMessage()));

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
    BLOCKING.shutdownNow();
  }

  /** A process whose input is recorded and which exits with {@code exitCode} once its input is closed. */
  private static final class FakeProcess implements AttachedStreams {
    final ByteArrayOutputStream typed = new ByteArrayOutputStream();
    final List<String> resizes = new ArrayList<>();
    final CompletableFuture<Optional<Integer>> exited = new CompletableFuture<>();
    final InputStream stdout;
    final InputStream stderr;
    final int exitCode;

    FakeProcess(String stdout, String stderr, int exitCode) {
      this.stdout = new ByteArrayInputStream(stdout.getBytes(StandardCharsets.UTF_8));
      this.stderr = new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8));
      this.exitCode = exitCode;
    }

    @Override
    public Optional<OutputStream> stdin() {
      return Optional.of(new OutputStream() {
        @Override
        public void write(int b) {
          typed.write(b);
        }

        @Override
        public void close() {
          exited.complete(Optional.of(exitCode));
        }
      });
    }

    @Override
    public InputStream stdout() {
      return stdout;
    }

    @Override
    public Optional<InputStream> stderr() {
      return Optional.of(stderr);
    }

    @Override
    public synchronized void resize(int width, int height) {
      resizes.add(width + "x" + height);
    }

    @Override
    public CompletionStage<Optional<Integer>> exited() {
      return exited;
    }

    @Override
    public void close() {
      exited.complete(Optional.of(137));
    }
  }

  private static List<ByteString> run(AttachedStreams process, StreamSession.Options options, List<ByteString> in)
      throws Exception {
    return Source.from(in).concat(Source.never())
        .via(StreamSession.flow(() -> CompletableFuture.completedFuture(process), options, EXEC, BLOCKING))
        .runWith(Sink.seq(), KIT.system())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void outputFramesComeFirstThenTheExitStatusOnTheErrorChannel() throws Exception {
    FakeProcess process = new FakeProcess("out", "err", 3);
    List<ByteString> frames = run(process, new StreamSession.Options(true, true, true, false),
        List.of(ChannelFrames.close(ChannelFrames.STDIN)));
    assertEquals(3, frames.size(), frames.toString());
    assertEquals(List.of(ByteString.fromString("\u0001out"), ByteString.fromString("\u0002err")),
        frames.subList(0, 2).stream().sorted((a, b) -> a.apply(0) - b.apply(0)).toList());
    ByteString last = frames.get(2);
    assertEquals(ChannelFrames.ERROR, ChannelFrames.channel(last));
    assertEquals("NonZeroExitCode", Json.parseTrusted(ChannelFrames.data(last).utf8String()).path("reason").asText());
  }

  @Test
  void stdinAndResizeFramesReachTheProcessAndTheCloseSignalEndsItsInput() throws Exception {
    FakeProcess process = new FakeProcess("", "", 0);
    List<ByteString> frames = run(process, new StreamSession.Options(true, true, false, true), List.of(
        ChannelFrames.frame(ChannelFrames.STDIN, ByteString.fromString("ls\n")),
        ChannelFrames.frame(ChannelFrames.RESIZE, ByteString.fromString("{\"Width\":120,\"Height\":40}")),
        ChannelFrames.frame(ChannelFrames.RESIZE, ByteString.fromString("not json")),
        ChannelFrames.close(ChannelFrames.STDIN)));
    assertEquals("ls\n", process.typed.toString(StandardCharsets.UTF_8));
    assertEquals(List.of("120x40"), process.resizes);
    assertEquals(List.of(ChannelFrames.frame(ChannelFrames.ERROR, ExecStatus.success())), frames);
  }

  @Test
  void aSizedTerminalSessionStartsItsProcessWithTheClientsFirstSize() throws Exception {
    FakeProcess process = new FakeProcess("", "", 0);
    List<Optional<ChannelFrames.TerminalSize>> startedWith = new ArrayList<>();
    List<ByteString> frames = Source.from(List.of(
            ChannelFrames.frame(ChannelFrames.STDIN, ByteString.fromString("x")),
            ChannelFrames.frame(ChannelFrames.RESIZE, ByteString.fromString("{\"Width\":100,\"Height\":30}")),
            ChannelFrames.frame(ChannelFrames.RESIZE, ByteString.fromString("{\"Width\":77,\"Height\":11}")),
            ChannelFrames.close(ChannelFrames.STDIN)))
        .concat(Source.never())
        .via(StreamSession.flow(size -> {
          startedWith.add(size);
          return CompletableFuture.completedFuture(process);
        }, true, new StreamSession.Options(true, true, false, true), EXEC, BLOCKING))
        .runWith(Sink.seq(), KIT.system())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    // The first size started the process (though stdin came first); later ones resize it.
    assertEquals(List.of(Optional.of(new ChannelFrames.TerminalSize(100, 30))), startedWith);
    assertEquals(List.of("77x11"), process.resizes);
    assertEquals("x", process.typed.toString(StandardCharsets.UTF_8));
    assertEquals(List.of(ChannelFrames.frame(ChannelFrames.ERROR, ExecStatus.success())), frames);
  }

  @Test
  void outputTheClientDidNotAskForIsDropped() throws Exception {
    FakeProcess process = new FakeProcess("out", "err", 0);
    List<ByteString> frames = run(process, new StreamSession.Options(false, true, false, false), List.of());
    assertEquals(List.of(ByteString.fromString("\u0001out"), ChannelFrames.frame(ChannelFrames.ERROR, ExecStatus.success())),
        frames, "without stdin the process's input is closed at once; stderr was not asked for");
  }

  @Test
  void aProcessThatCannotStartEndsTheSessionWithAnInternalError() throws Exception {
    List<ByteString> frames = Source.<ByteString>never()
        .via(StreamSession.flow(() -> CompletableFuture.failedFuture(new IllegalStateException("no such thing")),
            new StreamSession.Options(false, true, true, false), EXEC, BLOCKING))
        .runWith(Sink.seq(), KIT.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(1, frames.size());
    assertEquals("Internal error occurred: no such thing",
        Json.parseTrusted(ChannelFrames.data(frames.get(0)).utf8String()).path("message").asText());
  }
}
