package dev.airwave.logging;

/**
 * Makes text safe for a one-line-per-event log: control characters (C0, DEL, C1, so newlines and
 * ANSI escapes), line and paragraph separators and bidi controls are written as visible escapes.
 */
public final class LogText {
  private LogText() {}

  public static String escape(String text) {
    if (text == null || text.chars().noneMatch(LogText::unsafe)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.chars().forEach(c -> append(out, (char) c));
    return out.toString();
  }

  /**
   * Client text for a quoted field of a log line ({@code title="..."}): escaped as above, with its
   * backslashes and quotes escaped too so that it cannot close the field, and cut to at most {@code
   * maxCodePoints}.
   */
  public static String quoted(String text, int maxCodePoints) {
    String cut =
        text.codePointCount(0, text.length()) <= maxCodePoints
            ? text
            : text.substring(0, text.offsetByCodePoints(0, maxCodePoints));
    return escape(cut.replace("\\", "\\\\").replace("\"", "\\\""));
  }

  static boolean unsafe(int c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x061c
        || c == 0x200e
        || c == 0x200f
        || (c >= 0x2028 && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }

  private static void append(StringBuilder out, char c) {
    if (!unsafe(c)) {
      out.append(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '\r') {
      out.append("\\r");
    } else if (c == '\t') {
      out.append("\\t");
    } else {
      out.append(String.format("\\u%04x", (int) c));
    }
  }
}
