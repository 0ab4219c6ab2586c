package io.pekkube.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading the CRI log back as kubectl logs shows it. */
class CriLogReaderTest {
  private static final List<String> LOG = List.of(
      "2026-12-07T06:00:00.000000001Z stdout F first",
      "2026-12-07T06:00:01Z stderr F second",
      "2026-12-07T06:00:02.5Z stdout P thi",
      "2026-12-07T06:00:02.6Z stdout F rd",
      "not a cri line",
      "2026-12-07T06:00:03Z stdout F ",
      "2026-12-07T06:00:04Z stdout F last");

  static Stream<Arguments> queries() {
    return Stream.of(
        Arguments.of(CriLogReader.Options.all(), "first\nsecond\nthird\n\nlast\n"),
        Arguments.of(new CriLogReader.Options(false, Optional.empty(), OptionalInt.of(2), OptionalLong.empty()), "\nlast\n"),
        Arguments.of(new CriLogReader.Options(false, Optional.empty(), OptionalInt.of(0), OptionalLong.empty()), ""),
        Arguments.of(new CriLogReader.Options(false, Optional.of(Instant.parse("2026-12-07T06:00:02Z")), OptionalInt.empty(),
            OptionalLong.empty()), "third\n\nlast\n"),
        Arguments.of(new CriLogReader.Options(false, Optional.empty(), OptionalInt.empty(), OptionalLong.of(8)), "first\nse"),
        Arguments.of(new CriLogReader.Options(true, Optional.empty(), OptionalInt.of(3), OptionalLong.empty()),
            "2026-12-07T06:00:02.500000000Z third\n2026-12-07T06:00:03.000000000Z \n2026-12-07T06:00:04.000000000Z last\n"));
  }

  @ParameterizedTest
  @MethodSource("queries")
  void rendersLikeKubectlLogs(CriLogReader.Options options, String expected) {
    assertEquals(expected, CriLogReader.render(CriLogReader.parse(LOG), options));
  }

  @Test
  void readsWhatTheWriterWrote(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("0.log");
    Clock clock = Clock.fixed(Instant.parse("2026-12-07T06:30:00.123456789Z"), ZoneOffset.UTC);
    try (CriLogWriter writer = new CriLogWriter(file, 1 << 20, 5, clock)) {
      byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
      writer.write(CriLogWriter.Source.STDOUT, true, hello, 0, 3);
      writer.write(CriLogWriter.Source.STDOUT, false, hello, 3, 2);
    }
    assertEquals(List.of("2026-12-07T06:30:00.123456789Z stdout P hel", "2026-12-07T06:30:00.123456789Z stdout F lo"),
        Files.readAllLines(file));
    assertEquals("2026-12-07T06:30:00.123456789Z hello\n", CriLogReader.read(file,
        new CriLogReader.Options(true, Optional.empty(), OptionalInt.empty(), OptionalLong.empty())));
  }
}
