package dev.airwave.registry;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Reads a request body's fields with their types checked; anything else is a bad request. */
final class Fields {
  private final JsonObject body;

  private Fields(JsonObject body) {
    this.body = body;
  }

  /** The body as an object holding only the given fields. */
  static Fields of(Object body, Set<String> allowed) {
    if (!(body instanceof JsonObject json)) {
      throw bad("The message body must be a JSON object.");
    }
    for (String key : json.fieldNames()) {
      if (!allowed.contains(key)) {
        throw bad("Unknown field \"" + key + "\".");
      }
    }
    return new Fields(json);
  }

  String optionalString(String key) {
    Object value = body.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw bad("Field \"" + key + "\" must be a string.");
    }
    return s;
  }

  String string(String key) {
    String value = optionalString(key);
    if (value == null) {
      throw bad("Field \"" + key + "\" is required.");
    }
    return value;
  }

  /** An optional whole number within the bounds, or {@code otherwise} when absent. */
  int optionalInt(String key, int min, int max, int otherwise) {
    Object value = body.getValue(key);
    if (value == null) {
      return otherwise;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw bad("Field \"" + key + "\" must be a whole number.");
    }
    long n = ((Number) value).longValue();
    if (n < min || n > max) {
      throw bad("Field \"" + key + "\" must be between " + min + " and " + max + ".");
    }
    return (int) n;
  }

  /** A true or false, or {@code otherwise} when absent. */
  boolean optionalBool(String key, boolean otherwise) {
    Object value = body.getValue(key);
    if (value == null) {
      return otherwise;
    }
    if (!(value instanceof Boolean b)) {
      throw bad("Field \"" + key + "\" must be true or false.");
    }
    return b;
  }

  boolean bool(String key) {
    if (body.getValue(key) == null) {
      throw bad("Field \"" + key + "\" is required.");
    }
    return optionalBool(key, false);
  }

  JsonObject optionalObject(String key) {
    Object value = body.getValue(key);
    if (value != null && !(value instanceof JsonObject)) {
      throw bad("Field \"" + key + "\" must be an object.");
    }
    return (JsonObject) value;
  }

  boolean has(String key) {
    return body.containsKey(key);
  }

  static ProtocolException bad(String sentence) {
    return new ProtocolException(ErrorCode.BAD_REQUEST, sentence);
  }
}
