package io.pekkube.actors.api;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 1.5Gi}, {@code 2e3}) as integers, rounded up
 * like {@code resource.Quantity}'s {@code Value()} and {@code MilliValue()}.
 */
public final class Quantity {
  private Quantity() {}

  /** The quantity in thousandths (cpu is counted in millicores); -1 when it does not parse. */
  public static long milliValue(String quantity) {
    BigDecimal v = parse(quantity);
    return v == null ? -1 : v.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** The quantity in units (bytes, counts); -1 when it does not parse. */
  public static long value(String quantity) {
    BigDecimal v = parse(quantity);
    return v == null ? -1 : v.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** The exact quantity; a malformed one is refused with the API server's message. */
  public static BigDecimal exact(String quantity) {
    BigDecimal v = parse(quantity);
    if (v == null) {
      throw new IllegalArgumentException("quantities must match the regular expression "
          + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': " + quantity);
    }
    return v;
  }

  static BigDecimal parse(String q) {
    if (q == null || q.isEmpty()) {
      return null;
    }
    String s = q.trim();
    int end = s.length();
    BigDecimal factor = BigDecimal.ONE;
    if (end >= 2 && s.charAt(end - 1) == 'i') {
      int power = "KMGTPE".indexOf(s.charAt(end - 2)) + 1;
      if (power == 0) {
        return null;
      }
      factor = BigDecimal.valueOf(1024).pow(power);
      end -= 2;
    } else if (end >= 1 && Character.isLetter(s.charAt(end - 1))) {
      char c = s.charAt(end - 1);
      int exp = switch (c) {
        case 'n' -> -9;
        case 'u' -> -6;
        case 'm' -> -3;
        case 'k' -> 3;
        case 'M' -> 6;
        case 'G' -> 9;
        case 'T' -> 12;
        case 'P' -> 15;
        case 'E' -> 18;
        default -> Integer.MIN_VALUE;
      };
      if (exp == Integer.MIN_VALUE) {
        return null;
      }
      factor = BigDecimal.ONE.scaleByPowerOfTen(exp);
      end -= 1;
    }
    try {
      BigDecimal number = new BigDecimal(s.substring(0, end));
      return number.multiply(factor);
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }
}
