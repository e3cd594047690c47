package dev.airwave.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Checks a client's bridge frame before the bridge reads it, so that a frame the bridge would log
 * (with the client's text in it), throw at or pass on half-read is answered with its bridge error
 * code instead.
 */
final class FrameScreen {
  static final int MAX_REPLY_ADDRESS = 36;
  private static final Set<String> TYPES = Set.of("send", "publish", "register", "unregister");

  private FrameScreen() {}

  /** The bridge error code that refuses this frame, or null to let the bridge have it. */
  static String refusal(Buffer data) {
    Object decoded;
    try {
      decoded = Json.decodeValue(data);
    } catch (DecodeException e) {
      return "invalid_json";
    }
    if (!(decoded instanceof JsonObject frame)) {
      return "invalid_json";
    }
    Object type = frame.getValue("type");
    if (type == null) {
      return "missing_type";
    }
    if ("ping".equals(type)) {
      return null;
    }
    if (!(type instanceof String name) || !TYPES.contains(name)) {
      return "invalid_type";
    }
    return refusalOfFields(frame);
  }

  private static String refusalOfFields(JsonObject frame) {
    Object address = frame.getValue("address");
    if (address == null) {
      return "missing_address";
    }
    if (!(address instanceof String)) {
      return "invalid_address";
    }
    Object reply = frame.getValue("replyAddress");
    if (reply != null && !(reply instanceof String text && text.length() <= MAX_REPLY_ADDRESS)) {
      return "invalid_reply_address";
    }
    Object headers = frame.getValue("headers");
    if (headers != null && !(headers instanceof JsonObject)) {
      return "invalid_headers";
    }
    return null;
  }
}
