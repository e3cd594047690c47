package dev.airwave.registry;

import static dev.airwave.registry.RegistryTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Checks on ids, names, titles and chat text")
class TextTest {

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"a", "demo", "Demo_Night-2", "abcdefghijklmnopqrst"})
  @DisplayName("a channel id of 1-20 letters, digits, '-' or '_' is accepted as is")
  void validChannelIds(String id) {
    assertEquals(id, Text.channelId(id));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", " demo", "demo ", "de.mo", "démo", "abcdefghijklmnopqrstu", "a%20b"})
  @DisplayName("any other channel id is refused as invalid_id")
  void invalidChannelIds(String id) {
    refused(ErrorCode.INVALID_ID, () -> Text.channelId(id));
  }

  @Test
  @DisplayName("a missing channel id is refused as invalid_id")
  void missingChannelId() {
    refused(ErrorCode.INVALID_ID, () -> Text.channelId(null));
  }

  @Test
  @DisplayName("a name is trimmed and may hold 32 characters, an emoji counting as one")
  void validNames() {
    assertEquals("Ann", Text.name("  Ann\t"));
    assertEquals("n".repeat(32), Text.name("n".repeat(32)));
    String emoji = "\uD83C\uDFB8".repeat(32);
    assertEquals(emoji, Text.name(emoji));
    assertEquals("Zoë O'Brien-日本", Text.name("Zoë O'Brien-日本"));
  }

  @ParameterizedTest(name = "[{index}]")
  @ValueSource(
      strings = {
        "",
        "   ",
        "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn",
        "Ann\nBob",
        "Ann\u0000",
        "\u202EnnA",
        "Ann\u2069",
        "Ann\u2029Bob",
        "Ann\uD800"
      })
  @DisplayName("an empty or too long name, or one with control characters, is refused")
  void invalidNames(String name) {
    refused(ErrorCode.INVALID_NAME, () -> Text.name(name));
  }

  @Test
  @DisplayName("a title may be empty or absent and holds at most 80 characters")
  void titles() {
    assertEquals("", Text.title(null));
    assertEquals("", Text.title("   "));
    assertEquals("Demo night", Text.title(" Demo night "));
    assertEquals("t".repeat(80), Text.title("t".repeat(80)));
    refused(ErrorCode.INVALID_TITLE, () -> Text.title("t".repeat(81)));
    refused(ErrorCode.INVALID_TITLE, () -> Text.title("Demo\rnight"));
  }

  @Test
  @DisplayName("chat text is trimmed and limited by the configured length")
  void chatText() {
    assertEquals("hi", Text.chat("  hi \n", 5));
    assertEquals("hello", Text.chat("hello", 5));
    refused(ErrorCode.INVALID_TEXT, () -> Text.chat("hello!", 5));
    refused(ErrorCode.INVALID_TEXT, () -> Text.chat(" \n ", 5));
    refused(ErrorCode.INVALID_TEXT, () -> Text.chat(null, 5));
  }

  @Test
  @DisplayName("control, separator, bidi and lone surrogate characters are found anywhere")
  void controlCharacters() {
    for (String bad :
        new String[] {
          "\u0000",
          "\u001F",
          "\u007F",
          "\u0085",
          "\u009F",
          "\u2028",
          "\u2029",
          "\u202A",
          "\u202E",
          "\u2066",
          "\u2069",
          "\uD800",
          "\uDFFF",
          "\uDC00\uD800"
        }) {
      assertTrue(Text.hasControl("a" + bad + "b"), () -> Integer.toHexString(bad.charAt(0)));
      assertTrue(Text.hasControl(bad), () -> Integer.toHexString(bad.charAt(0)));
    }
    assertFalse(Text.hasControl("plain text, ünïcödé, 日本語, \uD83D\uDE00"));
    assertFalse(Text.hasControl("\u2027\u202F\u2065"));
  }

  @Test
  @DisplayName("invisible format characters are refused, emoji joined by a zero-width joiner pass")
  void invisibleFormatCharacters() {
    for (String bad :
        new String[] {
          "\u200B",
          "\u200C",
          "\u200D",
          "\u200E",
          "\u200F",
          "\u2060",
          "\u206A",
          "\uFEFF",
          "\u00AD",
          "\u061C",
          "\uDB40\uDC41",
          "\uDB40\uDC7F"
        }) {
      assertTrue(
          Text.hasControl("Ann" + bad), () -> "U+" + Integer.toHexString(bad.codePointAt(0)));
    }
    assertTrue(Text.hasControl("A\u200Dnn"));
    assertFalse(Text.hasControl("\uD83D\uDC69\u200D\uD83D\uDCBB coding"));
    assertFalse(Text.hasControl("\uD83D\uDC69\uD83C\uDFFD\u200D\uD83D\uDCBB"));
    assertFalse(Text.hasControl("\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08"));
    assertFalse(Text.hasControl("I \u2764\uFE0F this"));
    assertFalse(Text.hasControl("press 1\uFE0F\u20E3"));
  }

  @Test
  @DisplayName("names are compared after NFKC normalisation and ignoring case")
  void nameKeys() {
    assertEquals(Text.nameKey("Ann"), Text.nameKey("ＡＮＮ"));
    assertEquals(Text.nameKey("ﬁona"), Text.nameKey("Fiona"));
    assertEquals(Text.nameKey("Zoe\u0301"), Text.nameKey("zoé"));
    assertFalse(Text.nameKey("Ann").equals(Text.nameKey("Anna")));
  }
}
