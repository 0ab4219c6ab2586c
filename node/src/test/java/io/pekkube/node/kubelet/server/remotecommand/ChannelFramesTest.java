package io.pekkube.node.kubelet.server.remotecommand;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.api.Json;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class ChannelFramesTest {

  @Test
  void aFrameIsTheChannelByteThenTheData() {
    ByteString frame = ChannelFrames.frame(ChannelFrames.STDOUT, ByteString.fromString("hi\n"));
    assertEquals(ByteString.fromArray(new byte[] {1, 'h', 'i', '\n'}), frame);
    assertEquals(ChannelFrames.STDOUT, ChannelFrames.channel(frame));
    assertEquals(ByteString.fromString("hi\n"), ChannelFrames.data(frame));
  }

  @Test
  void anEmptyFrameHasNoChannelAndAnEmptyStdinFrameNoData() {
    assertEquals(-1, ChannelFrames.channel(ByteString.emptyByteString()));
    assertEquals(ByteString.emptyByteString(), ChannelFrames.data(ByteString.fromArray(new byte[] {0})));
  }

  @Test
  void theV5CloseSignalNamesTheClosedChannel() {
    assertEquals(ByteString.fromArray(new byte[] {(byte) 255, 0}), ChannelFrames.close(ChannelFrames.STDIN));
    assertEquals(255, ChannelFrames.channel(ChannelFrames.close(ChannelFrames.STDIN)));
    assertEquals(OptionalInt.of(0), ChannelFrames.closed(ByteString.fromArray(new byte[] {(byte) 255, 0})));
    assertEquals(OptionalInt.empty(), ChannelFrames.closed(ByteString.fromArray(new byte[] {(byte) 255})),
        "a close signal carries exactly one channel");
    assertEquals(OptionalInt.empty(), ChannelFrames.closed(ByteString.fromArray(new byte[] {0, 0})));
  }

  @Test
  void resizeIsClientGosJsonWithItsNewline() {
    assertEquals(Optional.of(new ChannelFrames.TerminalSize(80, 24)),
        ChannelFrames.terminalSize(ByteString.fromString("{\"Width\":80,\"Height\":24}\n")));
    assertEquals(Optional.empty(), ChannelFrames.terminalSize(ByteString.fromString("{\"Width\":80}")));
    assertEquals(Optional.empty(), ChannelFrames.terminalSize(ByteString.fromString("{\"Width\":80,\"Height\":")));
    assertEquals(Optional.empty(), ChannelFrames.terminalSize(ByteString.fromString("{\"Width\":70000,\"Height\":1}")));
    assertEquals(Optional.empty(), ChannelFrames.terminalSize(ByteString.fromString("\"80x24\"")));
  }

  @Test
  void exitStatusesAreTheKubeletsStatuses() {
    assertEquals("{\"metadata\":{},\"status\":\"Success\"}", ExecStatus.exitCode(List.of("true"), 0).utf8String());
    var failed = Json.parseTrusted(ExecStatus.exitCode(List.of("sh", "-c", "exit 3"), 3).utf8String());
    assertEquals("Failure", failed.path("status").asText());
    assertEquals("NonZeroExitCode", failed.path("reason").asText());
    assertEquals("command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3",
        failed.path("message").asText());
    assertEquals("ExitCode", failed.path("details").path("causes").path(0).path("reason").asText());
    assertEquals("3", failed.path("details").path("causes").path(0).path("message").asText());

    var internal = Json.parseTrusted(ExecStatus.internalError("error executing command in container: x").utf8String());
    assertEquals("InternalError", internal.path("reason").asText());
    assertEquals(500, internal.path("code").asInt());
    assertEquals("Internal error occurred: error executing command in container: x", internal.path("message").asText());
  }
}
