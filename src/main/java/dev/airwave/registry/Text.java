package dev.airwave.registry;

import dev.airwave.config.AppConfig;
import java.util.regex.Pattern;

/** Checks on the user-written strings of the protocol: ids, names, titles and chat text. */
final class Text {
  static final Pattern CHANNEL_ID = Pattern.compile("[A-Za-z0-9_-]{1,20}");

  private Text() {}

  static String channelId(String raw) {
    if (raw == null || !CHANNEL_ID.matcher(raw).matches()) {
      throw new ProtocolException(
          ErrorCode.INVALID_ID, "A channel id is 1-20 letters, digits, '-' or '_'.");
    }
    return raw;
  }

  static String name(String raw) {
    String name = raw == null ? "" : raw.strip();
    if (length(name) < 1 || length(name) > AppConfig.NAME_MAX_CHARS || hasControl(name)) {
      throw new ProtocolException(
          ErrorCode.INVALID_NAME,
          "A display name is 1-"
              + AppConfig.NAME_MAX_CHARS
              + " characters with no control characters.");
    }
    return name;
  }

  static String title(String raw) {
    String title = raw == null ? "" : raw.strip();
    if (length(title) > AppConfig.TITLE_MAX_CHARS || hasControl(title)) {
      throw new ProtocolException(
          ErrorCode.INVALID_TITLE,
          "A title is at most "
              + AppConfig.TITLE_MAX_CHARS
              + " characters with no control characters.");
    }
    return title;
  }

  static String chat(String raw, int maxChars) {
    String text = raw == null ? "" : raw.strip();
    if (length(text) < 1 || length(text) > maxChars || hasControl(text)) {
      throw new ProtocolException(
          ErrorCode.INVALID_TEXT,
          "A chat message is 1-" + maxChars + " characters with no control characters.");
    }
    return text;
  }

  static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /** Control, line-separator, bidi-override and lone-surrogate characters are all refused. */
  static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return true;
      }
      if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
        return true;
      }
      if (Character.isHighSurrogate(c)
          && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) {
        return true;
      }
      if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
        return true;
      }
    }
    return false;
  }
}
