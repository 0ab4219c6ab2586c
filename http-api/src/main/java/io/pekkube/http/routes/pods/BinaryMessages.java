package io.pekkube.http.routes.pods;

import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** A byte stream carried in WebSocket binary messages, whose boundaries mean nothing (a SPDY tunnel). */
final class BinaryMessages {
  private BinaryMessages() {}

  /** The bytes of a message; a text message has no place in such a stream and carries none. */
  static Source<ByteString, NotUsed> data(Message message) {
    return message.isText() ? Source.empty()
        : message.asBinaryMessage().getStreamedData().mapMaterializedValue(ignored -> NotUsed.getInstance());
  }
}
