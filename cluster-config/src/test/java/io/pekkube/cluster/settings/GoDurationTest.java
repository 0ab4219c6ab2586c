package io.pekkube.cluster.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
      "1h, PT1H", "90s, PT1M30S", "5m0s, PT5M", "1h0m0s, PT1H", "1.5h, PT1H30M", "300ms, PT0.3S",
      ".5s, PT0.5S", "1.s, PT1S", "2h45m, PT2H45M", "10us, PT0.00001S", "10µs, PT0.00001S", "7ns, PT0.000000007S",
      "0, PT0S", "-1m, PT-1M", "+3s, PT3S"})
  void goSyntaxIsParsed(String text, String expected) {
    assertEquals(Duration.parse(expected), GoDuration.parse(text));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1d | time: unknown unit \"d\" in duration \"1d\"",
      "5 | time: missing unit in duration \"5\"",
      "1h5 | time: missing unit in duration \"1h5\"",
      "'' | time: invalid duration \"\"",
      "h | time: invalid duration \"h\"",
      ". | time: invalid duration \".\"",
      "- | time: invalid duration \"-\"",
      "1h 30m | time: unknown unit \"h \" in duration \"1h 30m\"",
      "9999999999h | time: invalid duration \"9999999999h\""})
  void badSyntaxIsRefusedWithGosMessage(String text, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text)).getMessage());
  }
}
