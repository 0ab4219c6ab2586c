package io.pekkube.node.kubelet.server.remotecommand;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.Json;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.pekko.util.ByteString;

/**
 * The frames of Kubernetes' remote command protocol over WebSocket ({@code v4.channel.k8s.io} and
 * {@code v5.channel.k8s.io}): one binary message per frame, whose first byte names the channel and whose
 * rest is that channel's data. Channels: 0 stdin, 1 stdout, 2 stderr, 3 error (a {@code Status} as JSON,
 * the command's outcome), 4 resize (JSON {@code {"Width":w,"Height":h}}). v5 adds 255, the close signal:
 * its one data byte names the channel the sender has finished writing (kubectl closes stdin so).
 */
public final class ChannelFrames {
  public static final int STDIN = 0;
  public static final int STDOUT = 1;
  public static final int STDERR = 2;
  public static final int ERROR = 3;
  public static final int RESIZE = 4;
  public static final int CLOSE = 255;

  private ChannelFrames() {}

  /** The size of the client's terminal, in columns and rows. */
  public record TerminalSize(int width, int height) {}

  public static ByteString frame(int channel, ByteString data) {
    return ByteString.fromArray(new byte[] {(byte) channel}).concat(data);
  }

  /** The frame's channel, or -1 for an empty frame (which carries nothing). */
  public static int channel(ByteString frame) {
    return frame.isEmpty() ? -1 : frame.apply(0) & 0xff;
  }

  public static ByteString data(ByteString frame) {
    return frame.isEmpty() ? frame : frame.drop(1);
  }

  /** The close signal of v5, for {@code channel}. */
  public static ByteString close(int channel) {
    return ByteString.fromArray(new byte[] {(byte) CLOSE, (byte) channel});
  }

  /** The channel a v5 close signal names; empty for any other frame. */
  public static OptionalInt closed(ByteString frame) {
    return channel(frame) == CLOSE && frame.size() == 2 ? OptionalInt.of(frame.apply(1) & 0xff) : OptionalInt.empty();
  }

  /** A resize message ({@code {"Width":80,"Height":24}}, as client-go encodes it); empty when malformed. */
  public static Optional<TerminalSize> terminalSize(ByteString json) {
    try {
      JsonNode size = Json.MAPPER.readTree(json.toArray());
      if (size == null || !size.path("Width").canConvertToInt() || !size.path("Height").canConvertToInt()) {
        return Optional.empty();
      }
      int width = size.path("Width").asInt();
      int height = size.path("Height").asInt();
      // uint16 on the client's side; anything else is no terminal size.
      if (width < 0 || height < 0 || width > 0xffff || height > 0xffff) {
        return Optional.empty();
      }
      return Optional.of(new TerminalSize(width, height));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
