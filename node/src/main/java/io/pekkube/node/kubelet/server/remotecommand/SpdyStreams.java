package io.pekkube.node.kubelet.server.remotecommand;

import io.pekkube.node.kubelet.server.spdy.SpdyFrame;
import io.pekkube.node.kubelet.server.spdy.SpdyStream;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;

/**
 * The remote command protocol {@code v4.channel.k8s.io} on a SPDY/3.1 connection, as kubectl up to 1.29
 * speaks it: the client opens one stream per channel, named by its {@code streamType} header
 * ({@code error}, {@code stdin}, {@code stdout}, {@code stderr}, {@code resize}), and each is accepted
 * at once. Once every stream the request asked for is there (stderr only without a terminal, resize only
 * with one), the session runs as {@link ChannelFrames}: stdin's data and its half-close become stdin
 * frames and the close signal, each JSON line of the resize stream a resize frame, and the output frames
 * are written on the stream of their channel. When the session ends, every stream is half-closed, which
 * kubectl reads as the end of the command.
 */
public final class SpdyStreams implements Consumer<SpdyStream> {
  static final String STREAM_TYPE = "streamtype";
  private static final int INBOX = 16;

  private final Flow<ByteString, ByteString, NotUsed> session;
  private final Materializer materializer;
  private final Set<String> expected = new LinkedHashSet<>();
  private final Map<String, SpdyStream> streams = new HashMap<>();
  private boolean started;

  public SpdyStreams(StreamSession.Options options, Flow<ByteString, ByteString, NotUsed> session,
      Materializer materializer) {
    this.session = session;
    this.materializer = materializer;
    expected.add("error");
    if (options.stdin()) {
      expected.add("stdin");
    }
    if (options.stdout()) {
      expected.add("stdout");
    }
    if (options.stderr() && !options.tty()) {
      expected.add("stderr");
    }
    if (options.tty()) {
      expected.add("resize");
    }
  }

  @Override
  public void accept(SpdyStream stream) {
    String type = stream.header(STREAM_TYPE);
    synchronized (this) {
      if (started || !expected.contains(type) || streams.containsKey(type)) {
        stream.reset(SpdyFrame.PROTOCOL_ERROR);
        return;
      }
      streams.put(type, stream);
    }
    stream.reply();
    synchronized (this) {
      if (started || !streams.keySet().equals(expected)) {
        return;
      }
      started = true;
    }
    start();
  }

  private void start() {
    Source<ByteString, NotUsed> in = Source.never();
    if (streams.containsKey("stdin")) {
      in = in.merge(inbound(streams.get("stdin"), ChannelFrames.STDIN));
    }
    if (streams.containsKey("resize")) {
      in = in.merge(inbound(streams.get("resize"), ChannelFrames.RESIZE));
    }
    for (String written : new String[] {"stdout", "stderr"}) {
      if (streams.containsKey(written)) {
        streams.get(written).attach(SpdyStream.DISCARD);
      }
    }
    Pair<UniqueKillSwitch, CompletionStage<Done>> running = in
        .viaMat(KillSwitches.single(), Keep.right())
        .via(session)
        .toMat(Sink.foreachAsync(1, this::write), Keep.both())
        .run(materializer);
    // The connection's end resets every stream: the session ends with it.
    streams.get("error").attach(SpdyStream.onReset(() -> running.first().shutdown()));
    running.second().whenComplete((done, failure) -> streams.values().forEach(SpdyStream::close));
  }

  private CompletionStage<Void> write(ByteString frame) {
    String type = switch (ChannelFrames.channel(frame)) {
      case ChannelFrames.STDOUT -> "stdout";
      case ChannelFrames.STDERR -> "stderr";
      case ChannelFrames.ERROR -> "error";
      default -> "";
    };
    SpdyStream stream = streams.get(type);
    if (stream == null) {
      return CompletableFuture.completedFuture(null);
    }
    return stream.write(ChannelFrames.data(frame)).handle((done, failure) -> null);
  }

  /**
   * A client stream's data as frames of {@code channel}: stdin's as they come, then the close signal at
   * its half-close; the resize stream's one JSON document per line, as client-go encodes them.
   */
  private Source<ByteString, NotUsed> inbound(SpdyStream stream, int channel) {
    Pair<SourceQueueWithComplete<ByteString>, Source<ByteString, NotUsed>> queue =
        Source.<ByteString>queue(INBOX, OverflowStrategy.backpressure()).preMaterialize(materializer);
    stream.attach(new SpdyStream.Inbound() {
      private CompletionStage<?> last = CompletableFuture.completedFuture(null);
      private ByteString partialLine = ByteString.emptyByteString();

      // The queue takes one offer at a time: each waits for the one before.
      private synchronized CompletionStage<Done> offer(ByteString frame) {
        CompletionStage<Done> offered = last.thenCompose(previous -> queue.first().offer(frame))
            .handle((result, failure) -> Done.getInstance());
        last = offered;
        return offered;
      }

      @Override
      public synchronized CompletionStage<Done> data(ByteString bytes) {
        if (channel != ChannelFrames.RESIZE) {
          return offer(ChannelFrames.frame(channel, bytes));
        }
        ByteString pending = partialLine.concat(bytes);
        CompletionStage<Done> offered = CompletableFuture.completedFuture(Done.getInstance());
        for (int newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
          offered = offer(ChannelFrames.frame(channel, pending.take(newline)));
          pending = pending.drop(newline + 1);
        }
        partialLine = pending;
        return offered;
      }

      @Override
      public synchronized void finished() {
        if (channel == ChannelFrames.STDIN) {
          offer(ChannelFrames.close(ChannelFrames.STDIN));
        }
      }

      @Override
      public void reset() {
        queue.first().complete();
      }
    });
    return queue.second();
  }
}
