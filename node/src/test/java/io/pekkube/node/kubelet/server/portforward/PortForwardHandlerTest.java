package io.pekkube.node.kubelet.server.portforward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.node.kubelet.server.spdy.SpdyFrame;
import io.pekkube.node.kubelet.server.spdy.SpdyFrameCodec;
import io.pekkube.node.kubelet.server.spdy.SpdySession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A SPDY client (this test) against a session with the port-forward handler, to real TCP ports. */
class PortForwardHandlerTest {
  private static final ActorTestKit TESTKIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    TESTKIT.shutdownTestKit();
  }

  /** The client's end of one session: frames it sends, frames it gets. */
  private static final class Client implements AutoCloseable {
    private final SpdyFrameCodec.Encoder encoder = new SpdyFrameCodec.Encoder();
    private final SpdyFrameCodec.Decoder decoder = new SpdyFrameCodec.Decoder();
    private final SourceQueueWithComplete<ByteString> out;
    private final SinkQueueWithCancel<ByteString> in;
    private final List<SpdyFrame> received = new ArrayList<>();

    Client() {
      Pair<SourceQueueWithComplete<ByteString>, SinkQueueWithCancel<ByteString>> pair =
          Source.<ByteString>queue(16, OverflowStrategy.backpressure())
              .via(SpdySession.flow((session, materializer) ->
                  new PortForwardHandler(TESTKIT.system(), materializer, "web_default", "uid-1", "127.0.0.1")))
              .toMat(Sink.queue(), Keep.both())
              .run(TESTKIT.system());
      out = pair.first();
      in = pair.second();
    }

    void send(SpdyFrame frame) throws Exception {
      out.offer(encoder.encode(frame)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    void open(int errorId, int dataId, int port, String request) throws Exception {
      send(new SpdyFrame.SynStream(errorId, 0, 0, true, headers("error", port, request)));
      send(new SpdyFrame.SynStream(dataId, 0, 0, false, headers("data", port, request)));
    }

    /** Reads frames until one matches, returning it. */
    SpdyFrame await(java.util.function.Predicate<SpdyFrame> wanted) throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        for (SpdyFrame f : received) {
          if (wanted.test(f)) {
            received.remove(f);
            return f;
          }
        }
        var next = in.pull().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (next.isEmpty()) {
          break;
        }
        received.addAll(decoder.decode(next.get()));
      }
      throw new AssertionError("no such frame; got " + received);
    }

    /** Everything the server sends on a stream up to its FIN. */
    String readToFin(int streamId) throws Exception {
      StringBuilder text = new StringBuilder();
      while (true) {
        SpdyFrame.Data d = (SpdyFrame.Data) await(f -> f instanceof SpdyFrame.Data data && data.streamId() == streamId);
        text.append(d.data().utf8String());
        if (d.fin()) {
          return text.toString();
        }
      }
    }

    @Override
    public void close() {
      out.complete();
    }
  }

  private static Map<String, List<String>> headers(String type, int port, String request) {
    return Map.of("streamtype", List.of(type), "port", List.of(Integer.toString(port)), "requestid", List.of(request));
  }

  @Test
  void eachStreamPairReachesThePortAndTheAnswerEndsWithFinOnBothStreams() throws Exception {
    try (ServerSocket server = new ServerSocket(0); Client client = new Client()) {
      Thread upper = new Thread(() -> serveUpperCase(server, 2));
      upper.setDaemon(true);
      upper.start();
      for (int request = 0; request < 2; request++) {
        int errorId = 1 + 4 * request;
        int dataId = errorId + 2;
        client.open(errorId, dataId, server.getLocalPort(), Integer.toString(request));
        client.await(f -> f instanceof SpdyFrame.SynReply r && r.streamId() == errorId);
        client.await(f -> f instanceof SpdyFrame.SynReply r && r.streamId() == dataId);
        client.send(new SpdyFrame.Data(dataId, false, ByteString.fromString("hello ")));
        client.send(new SpdyFrame.Data(dataId, true, ByteString.fromString("pod " + request)));
        assertEquals("HELLO POD " + request, client.readToFin(dataId));
        assertEquals("", client.readToFin(errorId), "nothing on the error stream");
      }
      upper.join(5000);
    }
  }

  @Test
  void aPortNobodyListensOnIsReportedOnTheErrorStreamAndTheSessionGoesOn() throws Exception {
    int closed;
    try (ServerSocket probe = new ServerSocket(0)) {
      closed = probe.getLocalPort();
    }
    try (Client client = new Client()) {
      client.open(1, 3, closed, "0");
      String error = client.readToFin(1);
      assertTrue(error.startsWith("error forwarding port " + closed + " to pod web_default, uid uid-1: "), error);
      assertTrue(error.endsWith("connect: connection refused"), error);
      assertEquals("", client.readToFin(3));

      client.send(new SpdyFrame.Ping(1));
      assertEquals(new SpdyFrame.Ping(1), client.await(f -> f instanceof SpdyFrame.Ping));
    }
  }

  @Test
  void aStreamWithoutAPortIsReset() throws Exception {
    try (Client client = new Client()) {
      client.send(new SpdyFrame.SynStream(1, 0, 0, false, Map.of("streamtype", List.of("data"))));
      assertEquals(new SpdyFrame.RstStream(1, SpdyFrame.CANCEL), client.await(f -> f instanceof SpdyFrame.RstStream));
    }
  }

  /** Answers each of {@code connections} with its input in upper case, once the input ends. */
  private static void serveUpperCase(ServerSocket server, int connections) {
    try {
      for (int i = 0; i < connections; i++) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
          out.write(new String(in.readAllBytes()).toUpperCase().getBytes());
        }
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}
