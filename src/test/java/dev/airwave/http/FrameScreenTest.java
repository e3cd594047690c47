package dev.airwave.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The frame screen answers what the bridge would choke on, and passes the rest")
class FrameScreenTest {
  private static String refusal(String frame) {
    return FrameScreen.refusal(Buffer.buffer(frame));
  }

  @Test
  @DisplayName("well-formed frames of every type pass")
  void wellFormed() {
    assertNull(refusal("{\"type\":\"ping\"}"));
    assertNull(refusal("{\"type\":\"register\",\"address\":\"airwave.channels\"}"));
    assertNull(refusal("{\"type\":\"unregister\",\"address\":\"airwave.channels\"}"));
    assertNull(refusal("{\"type\":\"publish\",\"address\":\"a\",\"body\":1}"));
    assertNull(
        refusal(
            "{\"type\":\"send\",\"address\":\"airwave.hello\",\"body\":{},\"headers\":{},"
                + "\"replyAddress\":\""
                + "r".repeat(36)
                + "\"}"));
  }

  @Test
  @DisplayName("each malformed part gets its bridge code")
  void malformed() {
    assertEquals("invalid_json", refusal("{not json"));
    assertEquals("invalid_json", refusal("[1]"));
    assertEquals("missing_type", refusal("{\"address\":\"a\"}"));
    assertEquals("invalid_type", refusal("{\"type\":\"shout\\n\",\"address\":\"a\"}"));
    assertEquals("invalid_type", refusal("{\"type\":7,\"address\":\"a\"}"));
    assertEquals("missing_address", refusal("{\"type\":\"send\"}"));
    assertEquals("invalid_address", refusal("{\"type\":\"send\",\"address\":1}"));
    assertEquals(
        "invalid_reply_address",
        refusal("{\"type\":\"send\",\"address\":\"a\",\"replyAddress\":42}"));
    assertEquals(
        "invalid_reply_address",
        refusal(
            "{\"type\":\"send\",\"address\":\"a\",\"replyAddress\":\"" + "r".repeat(37) + "\"}"));
    assertEquals(
        "invalid_headers", refusal("{\"type\":\"send\",\"address\":\"a\",\"headers\":[]}"));
  }

  @Test
  @DisplayName("docs/protocol.md lists every code the screen answers, and the close codes")
  void documented() throws IOException {
    String protocol = Files.readString(Path.of("docs/protocol.md"));
    for (String code :
        new String[] {
          "invalid_json",
          "missing_type",
          "invalid_type",
          "missing_address",
          "invalid_address",
          "invalid_reply_address",
          "invalid_headers"
        }) {
      assertTrue(
          protocol.contains("| `" + code + "` |"), () -> code + " is not in the bridge code table");
    }
    assertTrue(protocol.contains("| 1009 (message too big) |"));
    assertTrue(protocol.contains("| 1007 (invalid payload) |"));
  }

  @Test
  @DisplayName("JSON the bridge could not read is invalid_json: truncated, trailing or not UTF-8")
  void notOneObject() {
    assertEquals("invalid_json", refusal("{\"type\":\"ping\"} {}"));
    assertEquals(
        "invalid_json", refusal("{\"type\":\"send\",\"address\":\"a\",\"body\":{\"x\":[1,2}}"));
    assertEquals("invalid_json", refusal(""));
    assertEquals("invalid_json", refusal("\"text\""));
    assertEquals("missing_type", refusal("{\"type\":null,\"address\":\"a\"}"));
    assertNull(refusal("{\"type\":\"send\",\"address\":\"a\",\"body\":{\"deep\":[{\"type\":1}]}}"));
    assertEquals("invalid_type", refusal("{\"type\":\"send\",\"address\":\"a\",\"type\":\"x\"}"));
  }
}
