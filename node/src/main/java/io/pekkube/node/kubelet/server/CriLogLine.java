package io.pekkube.node.kubelet.server;

import java.time.Instant;

/**
 * One entry of a CRI log file: {@code <RFC3339Nano time> <stdout|stderr> <F|P> <content>}. A {@code P}
 * (partial) entry continues in the next one; {@code kubectl logs} shows the content joined.
 */
public record CriLogLine(Instant time, String timeText, String stream, boolean partial, String content) {

  /** Parses one line (without its newline); null for a line that is not in the format. */
  public static CriLogLine parse(String line) {
    int first = line.indexOf(' ');
    int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
    int third = second < 0 ? -1 : line.indexOf(' ', second + 1);
    if (third < 0 && second > 0 && line.length() == second + 2) {
      third = line.length();
    }
    if (first < 0 || second < 0 || third < 0) {
      return null;
    }
    try {
      String timeText = line.substring(0, first);
      Instant time = Instant.parse(timeText);
      String tag = line.substring(second + 1, Math.min(third, line.length()));
      String content = third < line.length() ? line.substring(third + 1) : "";
      return new CriLogLine(time, timeText, line.substring(first + 1, second), tag.equals("P"), content);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
