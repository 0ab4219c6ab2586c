package io.pekkube.cluster.settings;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;

/**
 * Go's {@code time.ParseDuration}, the syntax of Kubernetes' duration flags ({@code --event-ttl=1h},
 * {@code 90s}, {@code 5m0s}, {@code 1.5h}, {@code 300ms}): an optional sign, then one or more decimal
 * numbers each with a unit (ns, us, µs, ms, s, m, h); "0" alone needs no unit. Errors read as Go's.
 */
public final class GoDuration {
  private static final Map<String, Long> UNIT_NANOS = Map.of(
      "ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L, "ms", 1_000_000L,
      "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /** The duration {@code text} says; {@link IllegalArgumentException} with Go's message when it says none. */
  public static Duration parse(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      if (!numeric(s.charAt(i))) {
        throw invalid(text);
      }
      int start = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      String integer = s.substring(start, i);
      String fraction = "";
      if (i < s.length() && s.charAt(i) == '.') {
        int fractionStart = ++i;
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
        }
        fraction = s.substring(fractionStart, i);
      }
      if (integer.isEmpty() && fraction.isEmpty()) {
        throw invalid(text);
      }
      int unitStart = i;
      while (i < s.length() && !numeric(s.charAt(i))) {
        i++;
      }
      String unit = s.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
      }
      Long perUnit = UNIT_NANOS.get(unit);
      if (perUnit == null) {
        throw new IllegalArgumentException("time: unknown unit " + quote(unit) + " in duration " + quote(text));
      }
      nanos = nanos.add(new BigDecimal((integer.isEmpty() ? "0" : integer) + "." + fraction + "0")
          .multiply(BigDecimal.valueOf(perUnit)));
    }
    // Go keeps whole nanoseconds (int64): fractions below one are dropped, more than 2^63-1 is refused.
    BigInteger whole = nanos.toBigInteger();
    if (whole.compareTo(MAX_NANOS) > 0) {
      throw invalid(text);
    }
    return Duration.ofNanos(negative ? -whole.longValue() : whole.longValue());
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean numeric(char c) {
    return isDigit(c) || c == '.';
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("time: invalid duration " + quote(text));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The value of a duration flag, a bad one refused as picocli refuses any bad option value. */
  public static final class Converter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
