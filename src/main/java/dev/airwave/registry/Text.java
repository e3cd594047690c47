package dev.airwave.registry;

import dev.airwave.config.AppConfig;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks on the user-written strings of the protocol: ids, names, titles and chat text. */
final class Text {
  static final Pattern CHANNEL_ID = Pattern.compile("[A-Za-z0-9_-]{1,20}");
  private static final int ZERO_WIDTH_JOINER = 0x200D;
  private static final int VARIATION_SELECTOR_16 = 0xFE0F;
  private static final int COMBINING_KEYCAP = 0x20E3;

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
              + " characters with no control or invisible characters.");
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
              + " characters with no control or invisible characters.");
    }
    return title;
  }

  static String chat(String raw, int maxChars) {
    String text = raw == null ? "" : raw.strip();
    if (length(text) < 1 || length(text) > maxChars || hasControl(text)) {
      throw new ProtocolException(
          ErrorCode.INVALID_TEXT,
          "A chat message is 1-"
              + maxChars
              + " characters with no control or invisible characters.");
    }
    return text;
  }

  static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /**
   * The form in which names are compared: NFKC (so that full-width, ligature and other
   * compatibility spellings of a name are the same name) in lower case.
   */
  static String nameKey(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
  }

  /**
   * Control, line-separator and lone-surrogate characters, and invisible format characters (Unicode
   * category Cf: zero-width, bidi marks and overrides, BOM, tag characters), are all refused, so
   * that no text can look like another or reorder what is around it. The one format character
   * allowed is a zero-width joiner between two symbols, which joins emoji sequences.
   */
  static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
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
    return hasInvisibleFormat(s);
  }

  private static boolean hasInvisibleFormat(String s) {
    int[] points = s.codePoints().toArray();
    for (int i = 0; i < points.length; i++) {
      int cp = points[i];
      if (Character.getType(cp) != Character.FORMAT && !isOtherIgnorable(cp)) {
        continue;
      }
      boolean joinsSymbols =
          cp == ZERO_WIDTH_JOINER
              && i > 0
              && i + 1 < points.length
              && isSymbol(points[i - 1])
              && isSymbol(points[i + 1]);
      boolean emojiPresentation =
          isVariationSelector(cp)
              && i > 0
              && (isSymbol(points[i - 1])
                  || (i + 1 < points.length && points[i + 1] == COMBINING_KEYCAP));
      if (!joinsSymbols && !emojiPresentation) {
        return true;
      }
    }
    return false;
  }

  /**
   * The default-ignorable characters that are not of category Cf: invisible fillers and joiners
   * that render as nothing (Hangul fillers, the combining grapheme joiner, Khmer inherent vowels,
   * Mongolian and other variation selectors).
   */
  private static boolean isOtherIgnorable(int cp) {
    return cp == 0x034F
        || cp == 0x115F
        || cp == 0x1160
        || cp == 0x17B4
        || cp == 0x17B5
        || (cp >= 0x180B && cp <= 0x180F)
        || cp == 0x3164
        || cp == 0xFFA0
        || isVariationSelector(cp);
  }

  private static boolean isVariationSelector(int cp) {
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
  }

  private static boolean isSymbol(int cp) {
    int type = Character.getType(cp);
    return type == Character.OTHER_SYMBOL
        || type == Character.MODIFIER_SYMBOL
        || cp == VARIATION_SELECTOR_16;
  }
}
