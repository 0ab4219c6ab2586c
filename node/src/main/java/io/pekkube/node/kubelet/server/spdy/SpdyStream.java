package io.pekkube.node.kubelet.server.spdy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.util.ByteString;

/**
 * One stream the peer opened on a {@link SpdySession}: its headers, the data the peer sends (handed
 * to the {@link Inbound} attached to it, buffered until then), and the frames this side sends on it.
 * Flow-control windows are not enforced in either direction, as Kubernetes' SPDY library does not
 * (it neither sends nor obeys WINDOW_UPDATE); the transport's own back-pressure bounds the data.
 */
public final class SpdyStream {
  /** Data buffered for a stream nobody has attached to yet; a peer sending more is reset. */
  static final int MAX_UNATTACHED_BYTES = 1 << 20;

  /** Where the peer's data goes; called in order under the stream's lock, so it must not block. */
  public interface Inbound {
    /** The next bytes; the session reads no further frame until the returned stage completes. */
    CompletionStage<Done> data(ByteString bytes);

    /** The peer half-closed the stream (FIN): no more data will come. */
    void finished();

    /** The peer reset the stream, or the connection ended: drop whatever the stream feeds. */
    void reset();
  }

  /** Ignores the peer's data (a stream this side only writes to). */
  public static final Inbound DISCARD = onReset(() -> {});

  /** Ignores the peer's data, and runs {@code action} when the stream is reset (or the connection ends). */
  public static Inbound onReset(Runnable action) {
    return new Inbound() {
      @Override
      public CompletionStage<Done> data(ByteString bytes) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }

      @Override
      public void finished() {}

      @Override
      public void reset() {
        action.run();
      }
    };
  }

  private final int id;
  private final Map<String, List<String>> headers;
  private final SpdySession session;
  private Inbound inbound;
  private final List<ByteString> unattached = new ArrayList<>();
  private int unattachedBytes;
  private boolean remoteFinished;
  private boolean localFinished;
  private boolean reset;

  SpdyStream(int id, Map<String, List<String>> headers, SpdySession session) {
    this.id = id;
    this.headers = headers;
    this.session = session;
  }

  public int id() {
    return id;
  }

  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header, or "" when the peer did not send it. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  /** Accepts the stream (SYN_REPLY without headers, as the kubelet answers). */
  public CompletionStage<Done> reply() {
    return session.send(new SpdyFrame.SynReply(id, false, Map.of()));
  }

  /** Starts delivering the peer's data, first what arrived before. */
  public synchronized void attach(Inbound to) {
    inbound = to;
    unattached.forEach(to::data);
    unattached.clear();
    if (reset) {
      to.reset();
    } else if (remoteFinished) {
      to.finished();
    }
  }

  public CompletionStage<Done> write(ByteString bytes) {
    synchronized (this) {
      if (localFinished || reset) {
        return CompletableFuture.failedFuture(new IllegalStateException("stream " + id + " is closed"));
      }
    }
    return session.send(new SpdyFrame.Data(id, false, bytes));
  }

  /** Half-closes this side (FIN); later calls do nothing. */
  public CompletionStage<Done> close() {
    synchronized (this) {
      if (localFinished || reset) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      localFinished = true;
    }
    CompletionStage<Done> sent = session.send(new SpdyFrame.Data(id, true, ByteString.emptyByteString()));
    forgetWhenDone();
    return sent;
  }

  /** Aborts the stream (RST_STREAM with {@code status}). */
  public CompletionStage<Done> reset(int status) {
    Inbound to;
    synchronized (this) {
      if (reset) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      reset = true;
      to = inbound;
    }
    session.forget(id);
    if (to != null) {
      to.reset();
    }
    return session.send(new SpdyFrame.RstStream(id, status));
  }

  CompletionStage<Done> received(ByteString bytes, boolean fin) {
    CompletionStage<Done> delivered = CompletableFuture.completedFuture(Done.getInstance());
    synchronized (this) {
      if (reset || remoteFinished) {
        return delivered;
      }
      remoteFinished = fin;
      if (inbound == null) {
        unattached.add(bytes);
        unattachedBytes += bytes.size();
        if (unattachedBytes > MAX_UNATTACHED_BYTES) {
          return reset(SpdyFrame.REFUSED_STREAM);
        }
      } else {
        if (!bytes.isEmpty()) {
          delivered = inbound.data(bytes).exceptionally(e -> Done.getInstance());
        }
        if (fin) {
          inbound.finished();
        }
      }
    }
    if (fin) {
      forgetWhenDone();
    }
    return delivered;
  }

  /** The peer reset the stream, or the session ended. */
  void abort() {
    Inbound to;
    synchronized (this) {
      if (reset) {
        return;
      }
      reset = true;
      to = inbound;
    }
    session.forget(id);
    if (to != null) {
      to.reset();
    }
  }

  private void forgetWhenDone() {
    synchronized (this) {
      if (!(localFinished && remoteFinished)) {
        return;
      }
    }
    session.forget(id);
  }
}
