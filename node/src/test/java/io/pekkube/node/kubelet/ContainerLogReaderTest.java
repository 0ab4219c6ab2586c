package io.pekkube.node.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.node.kubelet.server.ContainerLogReader;
import io.pekkube.node.kubelet.server.LogRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerLogReaderTest {
  private static ActorSystem<Void> system;
  private static final String LOG = """
      2026-01-01T00:00:01.000000001Z stdout F one
      2026-01-01T00:00:02.000000002Z stderr F two
      2026-01-01T00:00:03.000000003Z stdout P thr
      2026-01-01T00:00:03.500000000Z stdout F ee
      2026-01-01T00:00:04.000000004Z stdout F four
      """;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "logs");
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  /** tailLines, timestamps, since, limitBytes -> output (\n as |). */
  @ParameterizedTest(name = "tail {0} ts {1} since {2} limit {3}")
  @CsvSource({
      "-1, false, '', -1, one|two|three|four|",
      "2, false, '', -1, three|four|",
      "0, false, '', -1, ''",
      "1, true, '', -1, 2026-01-01T00:00:04.000000004Z four|",
      "-1, false, 2026-01-01T00:00:02Z, -1, two|three|four|",
      "-1, false, '', 6, one|tw",
  })
  void readsLikeKubectlLogs(long tail, boolean timestamps, String since, long limit, String expected,
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("0.log");
    Files.writeString(file, LOG);
    LogRequest request = new LogRequest(false, tail < 0 ? null : tail, timestamps,
        since.isEmpty() ? null : Instant.parse(since), limit < 0 ? null : limit);
    String out = ContainerLogReader.read(file, request, () -> false)
        .runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), system)
        .toCompletableFuture().get(10, TimeUnit.SECONDS).utf8String();
    assertEquals(expected.replace('|', '\n'), out);
  }
}
