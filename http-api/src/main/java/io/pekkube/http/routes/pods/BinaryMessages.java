package io.pekkube.http.routes.pods;

import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The bytes of WebSocket binary messages: either a byte stream whose message boundaries mean nothing
 * (a SPDY tunnel), or one channel frame per message (remote command sessions).
 */
final class BinaryMessages {
  private BinaryMessages() {}

  /** The bytes of a message; a text message has no place in such a stream and carries none. */
  static Source<ByteString, NotUsed> data(Message message) {
    return message.isText() ? Source.empty()
        : message.asBinaryMessage().getStreamedData().mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  /** A whole message as one element (one channel frame); a text message carries none. */
  static Source<ByteString, NotUsed> frame(Message message) {
    return message.isText() ? Source.empty()
        : message.asBinaryMessage().getStreamedData().fold(ByteString.emptyByteString(), ByteString::concat)
            .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }
}
