package io.pekkube.node.kubelet.server.spdy;

import io.pekkube.node.kubelet.server.spdy.SpdyHeaderBlockCodec.InvalidHeaderBlock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteString;

/**
 * SPDY/3 frames to and from bytes (§2.2–2.6). A control frame starts with the control bit, the
 * version (3) and its type; a data frame with its stream id; both then carry 8 bits of flags and a
 * 24-bit length. Each direction of a connection gets its own {@link Decoder} or {@link Encoder},
 * since they hold that direction's header compression.
 */
public final class SpdyFrameCodec {
  static final int VERSION = 3;
  static final int SYN_STREAM = 1;
  static final int SYN_REPLY = 2;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int HEADERS = 8;
  static final int WINDOW_UPDATE = 9;
  static final int MAX_LENGTH = (1 << 24) - 1;

  private SpdyFrameCodec() {}

  /** Bytes that are not SPDY/3: the connection cannot go on. */
  public static final class InvalidFrame extends Exception {
    InvalidFrame(String message) {
      super(message);
    }
  }

  /** Reads frames from bytes that arrive in arbitrary pieces. */
  public static final class Decoder {
    private final SpdyHeaderBlockCodec.Decoder headers = new SpdyHeaderBlockCodec.Decoder();
    private ByteString pending = ByteString.emptyByteString();

    /** The frames completed by {@code bytes}; an incomplete frame waits for the next bytes. */
    public List<SpdyFrame> decode(ByteString bytes) throws InvalidFrame {
      pending = pending.concat(bytes);
      List<SpdyFrame> frames = new ArrayList<>();
      while (pending.size() >= 8) {
        ByteBuffer head = pending.take(8).asByteBuffer();
        int first = head.getInt();
        int flags = head.get() & 0xff;
        int length = ((head.get() & 0xff) << 16) | ((head.get() & 0xff) << 8) | (head.get() & 0xff);
        if (pending.size() < 8 + length) {
          break;
        }
        ByteString payload = pending.slice(8, 8 + length);
        pending = pending.drop(8 + length);
        if (first < 0) {
          SpdyFrame frame = control((first >>> 16) & 0x7fff, first & 0xffff, flags, payload);
          if (frame != null) {
            frames.add(frame);
          }
        } else {
          frames.add(new SpdyFrame.Data(first, (flags & SpdyFrame.FLAG_FIN) != 0, payload.compact()));
        }
      }
      return frames;
    }

    /** A control frame, or null for a type this side ignores (§2.2.1: unknown types are ignored). */
    private SpdyFrame control(int version, int type, int flags, ByteString payload) throws InvalidFrame {
      if (version != VERSION) {
        throw new InvalidFrame("SPDY version " + version + " is not supported, only " + VERSION);
      }
      ByteBuffer in = payload.asByteBuffer();
      boolean fin = (flags & SpdyFrame.FLAG_FIN) != 0;
      try {
        switch (type) {
          case SYN_STREAM -> {
            need(in, 10, "SYN_STREAM");
            int streamId = in.getInt() & 0x7fffffff;
            int associated = in.getInt() & 0x7fffffff;
            int priority = (in.get() & 0xff) >>> 5;
            in.get(); // the credential slot, unused
            return new SpdyFrame.SynStream(streamId, associated, priority, fin, headers.decode(rest(in)));
          }
          case SYN_REPLY -> {
            need(in, 4, "SYN_REPLY");
            return new SpdyFrame.SynReply(in.getInt() & 0x7fffffff, fin, headers.decode(rest(in)));
          }
          case HEADERS -> {
            need(in, 4, "HEADERS");
            return new SpdyFrame.Headers(in.getInt() & 0x7fffffff, fin, headers.decode(rest(in)));
          }
          case RST_STREAM -> {
            need(in, 8, "RST_STREAM");
            return new SpdyFrame.RstStream(in.getInt() & 0x7fffffff, in.getInt());
          }
          case SETTINGS -> {
            need(in, 4, "SETTINGS");
            int count = in.getInt();
            need(in, (long) count * 8, "SETTINGS");
            Map<Integer, Integer> values = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
              values.put(in.getInt() & 0xffffff, in.getInt());
            }
            return new SpdyFrame.Settings(values);
          }
          case PING -> {
            need(in, 4, "PING");
            return new SpdyFrame.Ping(in.getInt());
          }
          case GOAWAY -> {
            need(in, 8, "GOAWAY");
            return new SpdyFrame.GoAway(in.getInt() & 0x7fffffff, in.getInt());
          }
          case WINDOW_UPDATE -> {
            need(in, 8, "WINDOW_UPDATE");
            return new SpdyFrame.WindowUpdate(in.getInt() & 0x7fffffff, in.getInt() & 0x7fffffff);
          }
          default -> {
            return null;
          }
        }
      } catch (InvalidHeaderBlock e) {
        throw new InvalidFrame(e.getMessage());
      }
    }

    private static void need(ByteBuffer in, long bytes, String frame) throws InvalidFrame {
      if (in.remaining() < bytes) {
        throw new InvalidFrame(frame + " frame too short: " + in.remaining() + " bytes");
      }
    }

    private static byte[] rest(ByteBuffer in) {
      byte[] bytes = new byte[in.remaining()];
      in.get(bytes);
      return bytes;
    }
  }

  /** Writes frames; header blocks share this side's compression context, so encode in sending order. */
  public static final class Encoder {
    private final SpdyHeaderBlockCodec.Encoder headers = new SpdyHeaderBlockCodec.Encoder();

    public ByteString encode(SpdyFrame frame) {
      if (frame instanceof SpdyFrame.Data d) {
        if (d.data().size() > MAX_LENGTH) {
          throw new IllegalArgumentException("DATA frame of " + d.data().size() + " bytes");
        }
        return ints(d.streamId() & 0x7fffffff).concat(flagsAndLength(d.fin() ? SpdyFrame.FLAG_FIN : 0,
            d.data().size())).concat(d.data());
      }
      if (frame instanceof SpdyFrame.SynStream s) {
        return control(SYN_STREAM, s.fin() ? SpdyFrame.FLAG_FIN : 0, ByteString.fromArray(ByteBuffer.allocate(10)
            .putInt(s.streamId()).putInt(s.associatedStreamId()).put((byte) (s.priority() << 5)).put((byte) 0)
            .array()).concat(block(s.headers())));
      }
      if (frame instanceof SpdyFrame.SynReply r) {
        return control(SYN_REPLY, r.fin() ? SpdyFrame.FLAG_FIN : 0, ints(r.streamId()).concat(block(r.headers())));
      }
      if (frame instanceof SpdyFrame.Headers h) {
        return control(HEADERS, h.fin() ? SpdyFrame.FLAG_FIN : 0, ints(h.streamId()).concat(block(h.headers())));
      }
      if (frame instanceof SpdyFrame.RstStream r) {
        return control(RST_STREAM, 0, ints(r.streamId(), r.status()));
      }
      if (frame instanceof SpdyFrame.Settings s) {
        ByteBuffer body = ByteBuffer.allocate(4 + 8 * s.values().size()).putInt(s.values().size());
        s.values().forEach((id, value) -> body.putInt(id & 0xffffff).putInt(value));
        return control(SETTINGS, 0, ByteString.fromArray(body.array()));
      }
      if (frame instanceof SpdyFrame.Ping p) {
        return control(PING, 0, ints(p.id()));
      }
      if (frame instanceof SpdyFrame.GoAway g) {
        return control(GOAWAY, 0, ints(g.lastGoodStreamId(), g.status()));
      }
      SpdyFrame.WindowUpdate w = (SpdyFrame.WindowUpdate) frame;
      return control(WINDOW_UPDATE, 0, ints(w.streamId(), w.delta()));
    }

    private ByteString block(Map<String, List<String>> values) {
      return ByteString.fromArray(headers.encode(values));
    }

    private static ByteString control(int type, int flags, ByteString payload) {
      return ints(0x80000000 | (VERSION << 16) | type).concat(flagsAndLength(flags, payload.size())).concat(payload);
    }

    private static ByteString flagsAndLength(int flags, int length) {
      return ints((flags << 24) | length);
    }

    private static ByteString ints(int... values) {
      ByteBuffer buffer = ByteBuffer.allocate(4 * values.length);
      for (int v : values) {
        buffer.putInt(v);
      }
      return ByteString.fromArray(buffer.array());
    }
  }
}
