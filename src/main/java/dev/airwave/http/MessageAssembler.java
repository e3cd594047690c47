package dev.airwave.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Joins a WebSocket message from its frames and refuses, with the close code the WebSocket protocol
 * gives, one over the size limit however it is fragmented (1009) or one that is not UTF-8 (1007):
 * the bridge only ever reads text.
 */
final class MessageAssembler {
  static final short TOO_BIG = 1009;
  static final short NOT_UTF8 = 1007;

  private final int maxBytes;
  private Buffer pending;

  MessageAssembler(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * @return the whole message once its final frame is in, or null while more frames are due (and
   *     for control frames)
   */
  String add(WebSocketFrame frame) throws Refused {
    if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
      return null;
    }
    Buffer data = frame.binaryData();
    int size = (pending == null ? 0 : pending.length()) + data.length();
    if (size > maxBytes) {
      pending = null;
      throw new Refused(TOO_BIG, "Message over " + maxBytes + " bytes");
    }
    if (!frame.isFinal()) {
      pending =
          pending == null ? Buffer.buffer(size).appendBuffer(data) : pending.appendBuffer(data);
      return null;
    }
    Buffer whole = pending == null ? data : pending.appendBuffer(data);
    pending = null;
    return decode(whole);
  }

  private static String decode(Buffer message) throws Refused {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(message.getBytes()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Refused(NOT_UTF8, "Message not UTF-8");
    }
  }

  /** A message refused with a WebSocket close code and reason. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final short code;

    Refused(short code, String reason) {
      super(reason, null, false, false);
      this.code = code;
    }

    short code() {
      return code;
    }
  }
}
