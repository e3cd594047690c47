package dev.airwave.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Set;

/**
 * Checks a client's bridge frame before the bridge reads it, so that a frame the bridge would log
 * (with the client's text in it), throw at or pass on half-read is answered with its bridge error
 * code instead. It streams over the frame once, keeping only the four top-level fields it judges,
 * so that the bridge's own parse stays the only one that builds objects.
 */
final class FrameScreen {
  static final int MAX_REPLY_ADDRESS = 36;
  private static final Set<String> TYPES = Set.of("send", "publish", "register", "unregister");
  private static final JsonFactory JSON = new JsonFactory();

  private FrameScreen() {}

  /** The bridge error code that refuses this frame, or null to let the bridge have it. */
  static String refusal(Buffer data) {
    Fields fields;
    try (JsonParser parser = JSON.createParser(data.getBytes())) {
      fields = Fields.read(parser);
    } catch (IOException e) {
      return "invalid_json";
    }
    return fields == null ? "invalid_json" : fields.refusal();
  }

  /** The top-level fields the screen judges, as the token each held (the last one wins). */
  private static final class Fields {
    private JsonToken type;
    private String typeName;
    private JsonToken address;
    private JsonToken reply;
    private int replyLength;
    private JsonToken headers;

    /** The frame's fields, or null when the frame is not one JSON object. */
    static Fields read(JsonParser parser) throws IOException {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Fields fields = new Fields();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        fields.note(name, value, parser);
        parser.skipChildren();
      }
      return parser.nextToken() == null ? fields : null;
    }

    private void note(String name, JsonToken value, JsonParser parser) throws IOException {
      switch (name) {
        case "type" -> {
          type = value;
          typeName = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        }
        case "address" -> address = value;
        case "replyAddress" -> {
          reply = value;
          replyLength = value == JsonToken.VALUE_STRING ? parser.getTextLength() : 0;
        }
        case "headers" -> headers = value;
        default -> {}
      }
    }

    String refusal() {
      if (type == null || type == JsonToken.VALUE_NULL) {
        return "missing_type";
      }
      if ("ping".equals(typeName)) {
        return null;
      }
      if (typeName == null || !TYPES.contains(typeName)) {
        return "invalid_type";
      }
      if (address == null || address == JsonToken.VALUE_NULL) {
        return "missing_address";
      }
      if (address != JsonToken.VALUE_STRING) {
        return "invalid_address";
      }
      boolean replyOk =
          reply == null
              || reply == JsonToken.VALUE_NULL
              || (reply == JsonToken.VALUE_STRING && replyLength <= MAX_REPLY_ADDRESS);
      if (!replyOk) {
        return "invalid_reply_address";
      }
      boolean headersOk =
          headers == null || headers == JsonToken.VALUE_NULL || headers == JsonToken.START_OBJECT;
      return headersOk ? null : "invalid_headers";
    }
  }
}
