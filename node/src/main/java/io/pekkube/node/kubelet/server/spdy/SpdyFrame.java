package io.pekkube.node.kubelet.server.spdy;

import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteString;

/**
 * One SPDY/3.1 frame, decoded (the framing of draft-mbelshe-httpbis-spdy-00 §2, version 3, which
 * Kubernetes' streaming connections speak). Header names are lower case; a header's values are
 * the NUL-separated parts of its value.
 */
public sealed interface SpdyFrame {
  int FLAG_FIN = 0x01;
  int FLAG_UNIDIRECTIONAL = 0x02;

  /** RST_STREAM status codes (§2.6.3). */
  int PROTOCOL_ERROR = 1;
  int INVALID_STREAM = 2;
  int REFUSED_STREAM = 3;
  int CANCEL = 5;
  int INTERNAL_ERROR = 6;

  record SynStream(int streamId, int associatedStreamId, int priority, boolean fin,
      Map<String, List<String>> headers) implements SpdyFrame {}

  record SynReply(int streamId, boolean fin, Map<String, List<String>> headers) implements SpdyFrame {}

  record RstStream(int streamId, int status) implements SpdyFrame {}

  /** Settings are read and otherwise ignored, as the Kubernetes side does. */
  record Settings(Map<Integer, Integer> values) implements SpdyFrame {}

  record Ping(int id) implements SpdyFrame {}

  record GoAway(int lastGoodStreamId, int status) implements SpdyFrame {}

  record Headers(int streamId, boolean fin, Map<String, List<String>> headers) implements SpdyFrame {}

  record WindowUpdate(int streamId, int delta) implements SpdyFrame {}

  record Data(int streamId, boolean fin, ByteString data) implements SpdyFrame {}
}
