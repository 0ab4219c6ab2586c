package io.pekkube.node.kubelet.server.spdy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class SpdyFrameCodecTest {

  @Test
  void framesSurviveAnEncodeDecodeRoundTripEvenWhenTheBytesArriveOneAtATime() throws Exception {
    SpdyFrameCodec.Encoder encoder = new SpdyFrameCodec.Encoder();
    List<SpdyFrame> sent = List.of(
        new SpdyFrame.SynStream(1, 0, 0, false, Map.of("streamtype", List.of("error"), "port", List.of("8080"),
            "requestid", List.of("0"))),
        new SpdyFrame.SynStream(3, 0, 0, false, Map.of("streamtype", List.of("data"), "port", List.of("8080"),
            "requestid", List.of("0"))),
        new SpdyFrame.SynReply(3, false, Map.of()),
        new SpdyFrame.Data(3, false, ByteString.fromString("GET / HTTP/1.1\r\n\r\n")),
        new SpdyFrame.Data(3, true, ByteString.emptyByteString()),
        new SpdyFrame.Ping(1),
        new SpdyFrame.RstStream(3, SpdyFrame.CANCEL),
        new SpdyFrame.Settings(Map.of(7, 65536)),
        new SpdyFrame.WindowUpdate(3, 1024),
        new SpdyFrame.Headers(1, true, Map.of("a", List.of("x", "y"))),
        new SpdyFrame.GoAway(3, 0));
    ByteString wire = ByteString.emptyByteString();
    for (SpdyFrame f : sent) {
      wire = wire.concat(encoder.encode(f));
    }
    SpdyFrameCodec.Decoder decoder = new SpdyFrameCodec.Decoder();
    List<SpdyFrame> received = new ArrayList<>();
    for (int i = 0; i < wire.size(); i++) {
      received.addAll(decoder.decode(wire.slice(i, i + 1)));
    }
    assertEquals(sent, received);
  }

  @Test
  void aControlFrameOfAnotherSpdyVersionIsRejected() {
    // A SPDY/2 PING: control bit, version 2, type 6, length 4, id 1.
    ByteString ping2 = ByteString.fromArray(new byte[] {(byte) 0x80, 2, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1});
    assertThrows(SpdyFrameCodec.InvalidFrame.class, () -> new SpdyFrameCodec.Decoder().decode(ping2));
  }

  @Test
  void theDictionaryIsTheOneOfSpdy3() {
    // §2.6.10.1 gives 1423 bytes; zlib names a dictionary by its Adler-32, which both sides must share.
    java.util.zip.Adler32 adler = new java.util.zip.Adler32();
    adler.update(SpdyHeaderBlockCodec.DICTIONARY);
    assertEquals(1423, SpdyHeaderBlockCodec.DICTIONARY.length);
    assertEquals(0xe3c6a7c2L, adler.getValue());
  }
}
