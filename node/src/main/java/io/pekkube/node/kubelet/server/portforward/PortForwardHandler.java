package io.pekkube.node.kubelet.server.portforward;

import io.pekkube.node.kubelet.server.spdy.SpdyFrame;
import io.pekkube.node.kubelet.server.spdy.SpdyStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * The {@code portforward.k8s.io} protocol on a SPDY session, for one pod, as the kubelet serves it:
 * the client opens an {@code error} and a {@code data} stream per forwarded connection, both with the
 * headers {@code port} and {@code requestID}; once both are there, the kubelet connects to that port in
 * the pod's network and copies bytes both ways on the data stream. A failure is written, as text, on
 * the error stream; then both streams are closed. Pods share the host's network here, so the port is
 * dialled on the host's loopback address.
 */
public final class PortForwardHandler implements Consumer<SpdyStream> {
  public static final String PROTOCOL = "portforward.k8s.io";
  static final String STREAM_TYPE = "streamtype";
  static final String PORT = "port";
  static final String REQUEST_ID = "requestid";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int QUEUE_SIZE = 16;

  private final ActorSystem<?> system;
  private final Materializer materializer;
  private final String podFullName;
  private final String podUid;
  private final String host;
  private final Map<String, Pending> pending = new HashMap<>();

  /** The streams of one request that have arrived so far. */
  private static final class Pending {
    SpdyStream error;
    SpdyStream data;
  }

  public PortForwardHandler(ActorSystem<?> system, Materializer materializer, String podFullName, String podUid,
      String host) {
    this.system = system;
    this.materializer = materializer;
    this.podFullName = podFullName;
    this.podUid = podUid;
    this.host = host;
  }

  @Override
  public void accept(SpdyStream stream) {
    Optional<String> invalid = invalidHeaders(stream);
    if (invalid.isPresent()) {
      system.log().debug("port-forward to {}: stream {} refused: {}", podFullName, stream.id(), invalid.get());
      stream.reset(SpdyFrame.CANCEL);
      return;
    }
    stream.reply();
    String type = stream.header(STREAM_TYPE);
    SpdyStream error;
    SpdyStream data;
    synchronized (pending) {
      String request = requestId(stream);
      Pending p = pending.computeIfAbsent(request, r -> new Pending());
      if (type.equals("error")) {
        p.error = stream;
      } else {
        p.data = stream;
      }
      if (p.error == null || p.data == null) {
        return;
      }
      pending.remove(request);
      error = p.error;
      data = p.data;
    }
    error.attach(SpdyStream.DISCARD);
    forward(Integer.parseInt(data.header(PORT)), error, data);
  }

  /** What the kubelet refuses a stream for (it resets such a stream). */
  static Optional<String> invalidHeaders(SpdyStream stream) {
    String port = stream.header(PORT);
    if (port.isEmpty()) {
      return Optional.of("\"" + PORT + "\" header is required");
    }
    int number;
    try {
      number = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      return Optional.of("unable to parse \"" + port + "\" as a port: " + e.getMessage());
    }
    if (number < 1 || number > 65535) {
      return Optional.of("port \"" + port + "\" must be > 0");
    }
    String type = stream.header(STREAM_TYPE);
    if (type.isEmpty()) {
      return Optional.of("\"" + STREAM_TYPE + "\" header is required");
    }
    if (!type.equals("error") && !type.equals("data")) {
      return Optional.of("invalid stream type \"" + type + "\"");
    }
    return Optional.empty();
  }

  /**
   * The request a stream belongs to. Clients that send no request id open the error stream and then
   * the data stream of a connection one after the other, so their ids are two apart.
   */
  static String requestId(SpdyStream stream) {
    String id = stream.header(REQUEST_ID);
    if (!id.isEmpty()) {
      return id;
    }
    return "stream-" + (stream.header(STREAM_TYPE).equals("error") ? stream.id() : stream.id() - 2);
  }

  private void forward(int port, SpdyStream error, SpdyStream data) {
    Pair<Pair<SourceQueueWithComplete<ByteString>, UniqueKillSwitch>, CompletionStage<Done>> running =
        Source.<ByteString>queue(QUEUE_SIZE, OverflowStrategy.backpressure())
            .viaMat(KillSwitches.single(), Keep.both())
            .via(Tcp.get(system).outgoingConnection(new InetSocketAddress(host, port), Optional.empty(), List.of(),
                true, Optional.of(CONNECT_TIMEOUT), Optional.empty()))
            .mapAsync(1, data::write)
            .toMat(Sink.ignore(), Keep.both())
            .run(materializer);
    SourceQueueWithComplete<ByteString> toPod = running.first().first();
    UniqueKillSwitch killSwitch = running.first().second();
    data.attach(new SpdyStream.Inbound() {
      private CompletionStage<?> last = CompletableFuture.completedFuture(null);

      // The queue takes one offer at a time: each waits for the one before.
      @Override
      public synchronized CompletionStage<Done> data(ByteString bytes) {
        CompletionStage<Done> offered = last.thenCompose(previous -> toPod.offer(bytes))
            .handle((result, failure) -> Done.getInstance());
        last = offered;
        return offered;
      }

      @Override
      public synchronized void finished() {
        last = last.thenRun(toPod::complete);
      }

      @Override
      public void reset() {
        killSwitch.abort(new StreamResetByClient());
      }
    });
    running.second().whenComplete((done, failure) -> {
      CompletionStage<Done> reported = CompletableFuture.completedFuture(Done.getInstance());
      if (failure != null && !(rootCause(failure) instanceof StreamResetByClient)) {
        String message = "error forwarding port " + port + " to pod " + podFullName + ", uid " + podUid + ": "
            + dialError(port, failure);
        system.log().info("port-forward: {}", message);
        reported = error.write(ByteString.fromString(message)).exceptionally(e -> Done.getInstance());
      }
      reported.thenRun(() -> {
        data.close();
        error.close();
      });
    });
  }

  /** What the dial or the copy failed with, in the words of the Go runtime the kubelet reports. */
  private String dialError(int port, Throwable failure) {
    String text = rootCause(failure).getMessage();
    text = text == null ? rootCause(failure).toString() : text;
    int because = text.indexOf("because of ");
    if (because >= 0) {
      text = text.substring(because + "because of ".length());
    }
    text = text.replaceFirst("^java\\.net\\.\\w+: ", "");
    String lower = text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    if (lower.startsWith("connection refused")) {
      return "failed to connect to localhost:" + port + " inside the pod's network (the host's), IPv4: dial tcp4 "
          + host + ":" + port + ": connect: " + lower;
    }
    return lower;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  /** The client reset the data stream: the connection to the pod ends without an error to report. */
  private static final class StreamResetByClient extends RuntimeException {
    StreamResetByClient() {
      super("the client reset the stream", null, false, false);
    }
  }
}
