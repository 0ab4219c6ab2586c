package io.pekkube.node.kubelet.server.spdy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;

/**
 * The server side of one SPDY/3.1 connection, as a flow from the peer's bytes to the bytes sent back:
 * decodes frames, answers the peer's pings, hands every stream the peer opens to a handler, and sends
 * the frames of all streams through one queue, in the order they were sent (header compression is one
 * zlib stream per direction, so frames must be encoded in sending order). When the connection ends,
 * every open stream is aborted.
 */
public final class SpdySession {
  private static final int OUTBOX_SIZE = 64;

  private final SourceQueueWithComplete<SpdyFrame> outbox;
  private final Map<Integer, SpdyStream> streams = new ConcurrentHashMap<>();
  private Consumer<SpdyStream> handler = stream -> stream.reset(SpdyFrame.REFUSED_STREAM);
  private CompletionStage<Done> lastSent = CompletableFuture.completedFuture(Done.getInstance());
  private int lastStreamId;
  private boolean goingAway;

  private SpdySession(SourceQueueWithComplete<SpdyFrame> outbox) {
    this.outbox = outbox;
  }

  /**
   * The connection as a flow; {@code handlers} gives, for each materialized session, what to do with
   * each stream the peer opens (it is called once, before the first frame is read).
   */
  public static Flow<ByteString, ByteString, NotUsed> flow(
      BiFunction<SpdySession, Materializer, Consumer<SpdyStream>> handlers) {
    return Flow.<ByteString, ByteString, NotUsed>fromMaterializer((materializer, attributes) -> {
      Pair<SourceQueueWithComplete<SpdyFrame>, Source<SpdyFrame, NotUsed>> out =
          Source.<SpdyFrame>queue(OUTBOX_SIZE, OverflowStrategy.backpressure()).preMaterialize(materializer);
      SpdySession session = new SpdySession(out.first());
      session.handler = handlers.apply(session, materializer);
      SpdyFrameCodec.Decoder decoder = new SpdyFrameCodec.Decoder();
      SpdyFrameCodec.Encoder encoder = new SpdyFrameCodec.Encoder();
      Sink<ByteString, CompletionStage<Done>> in = Flow.<ByteString>create()
          .mapConcat(decoder::decode)
          .mapAsync(1, session::receive)
          .toMat(Sink.ignore(), Keep.right());
      return Flow.fromSinkAndSourceCoupledMat(in, out.second().map(encoder::encode), Keep.left())
          .mapMaterializedValue(done -> {
            done.whenComplete((d, failure) -> session.ended());
            return NotUsed.getInstance();
          });
    }).mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /** Queues a frame after every frame queued before; fails once the connection has ended. */
  synchronized CompletionStage<Done> send(SpdyFrame frame) {
    lastSent = lastSent.thenCompose(previous -> outbox.offer(frame)).thenApply(result -> {
      if (result instanceof QueueOfferResult.Failure failure) {
        throw new IllegalStateException("the connection has ended", failure.cause());
      }
      if (!(result instanceof QueueOfferResult.Enqueued$)) {
        throw new IllegalStateException("the connection has ended: " + result);
      }
      return Done.getInstance();
    });
    return lastSent;
  }

  void forget(int streamId) {
    streams.remove(streamId);
  }

  private CompletionStage<Done> receive(SpdyFrame frame) {
    if (frame instanceof SpdyFrame.SynStream syn) {
      opened(syn);
    } else if (frame instanceof SpdyFrame.Data data) {
      SpdyStream stream = streams.get(data.streamId());
      if (stream != null) {
        return stream.received(data.data(), data.fin());
      }
    } else if (frame instanceof SpdyFrame.RstStream rst) {
      SpdyStream stream = streams.get(rst.streamId());
      if (stream != null) {
        stream.abort();
      }
    } else if (frame instanceof SpdyFrame.Ping ping) {
      // The peer's (the client's) pings have odd ids; an even one would answer a ping of ours.
      if ((ping.id() & 1) == 1) {
        send(ping);
      }
    } else if (frame instanceof SpdyFrame.GoAway) {
      synchronized (this) {
        goingAway = true;
      }
    }
    // SYN_REPLY, HEADERS, SETTINGS and WINDOW_UPDATE change nothing here.
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  private void opened(SpdyFrame.SynStream syn) {
    synchronized (this) {
      if (goingAway) {
        return;
      }
      // A client's streams have odd ids that only grow (§2.3.2).
      if ((syn.streamId() & 1) == 0 || syn.streamId() <= lastStreamId) {
        send(new SpdyFrame.RstStream(syn.streamId(), SpdyFrame.PROTOCOL_ERROR));
        return;
      }
      lastStreamId = syn.streamId();
    }
    SpdyStream stream = new SpdyStream(syn.streamId(), syn.headers(), this);
    streams.put(stream.id(), stream);
    if (syn.fin()) {
      stream.received(ByteString.emptyByteString(), true);
    }
    handler.accept(stream);
  }

  private void ended() {
    List.copyOf(streams.values()).forEach(SpdyStream::abort);
    outbox.complete();
  }
}
