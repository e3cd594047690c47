package dev.airwave.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A channel's latest chat lines, replayed to whoever joins or resumes it, bounded in lines and in
 * the bytes of their names and texts: the oldest lines go first.
 */
final class ChatHistory {
  private final int maxLines;
  private final int maxBytes;
  private final Deque<Line> lines = new ArrayDeque<>();
  private int bytes;

  private record Line(JsonObject message, int bytes) {}

  ChatHistory(int maxLines, int maxBytes) {
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
  }

  /** Keeps a chat message as it was sent; its size counts the sender's name and the text. */
  void add(JsonObject message, String name, String text) {
    int size = utf8(name) + utf8(text);
    if (maxLines == 0 || size > maxBytes) {
      return;
    }
    lines.addLast(new Line(message, size));
    bytes += size;
    while (lines.size() > maxLines || bytes > maxBytes) {
      bytes -= lines.removeFirst().bytes();
    }
  }

  /** The kept lines, oldest first. */
  JsonArray lines() {
    JsonArray list = new JsonArray();
    lines.forEach(line -> list.add(line.message()));
    return list;
  }

  private static int utf8(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }
}
