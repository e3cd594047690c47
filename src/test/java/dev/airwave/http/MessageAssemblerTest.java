package dev.airwave.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A WebSocket message is joined from its frames within one limit, as UTF-8")
class MessageAssemblerTest {
  @Test
  @DisplayName("fragments are joined into one message, control frames ignored")
  void joins() throws Exception {
    MessageAssembler assembler = new MessageAssembler(10);
    assertNull(assembler.add(WebSocketFrame.textFrame("ab", false)));
    assertNull(assembler.add(WebSocketFrame.pingFrame(Buffer.buffer("p"))));
    assertNull(assembler.add(WebSocketFrame.continuationFrame(Buffer.buffer("cd"), false)));
    assertEquals(
        "abcdé", assembler.add(WebSocketFrame.continuationFrame(Buffer.buffer("é"), true)));
    assertEquals("0123456789", assembler.add(WebSocketFrame.textFrame("0123456789", true)));
  }

  @Test
  @DisplayName("a message over the limit is refused with 1009 however it is cut")
  void tooBig() throws Exception {
    MessageAssembler assembler = new MessageAssembler(10);
    assertNull(assembler.add(WebSocketFrame.textFrame("012345", false)));
    MessageAssembler.Refused refused =
        assertThrows(
            MessageAssembler.Refused.class,
            () -> assembler.add(WebSocketFrame.continuationFrame(Buffer.buffer("67890"), false)));
    assertEquals(1009, refused.code());
    assertThrows(
        MessageAssembler.Refused.class,
        () ->
            new MessageAssembler(10)
                .add(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[11]), true)));
  }

  @Test
  @DisplayName("bytes that are not UTF-8 are refused with 1007, even across fragments")
  void notUtf8() throws Exception {
    MessageAssembler assembler = new MessageAssembler(100);
    assertNull(assembler.add(WebSocketFrame.textFrame("ok", false)));
    MessageAssembler.Refused refused =
        assertThrows(
            MessageAssembler.Refused.class,
            () ->
                assembler.add(
                    WebSocketFrame.continuationFrame(
                        Buffer.buffer(new byte[] {(byte) 0xc3, 0x28}), true)));
    assertEquals(1007, refused.code());
  }
}
