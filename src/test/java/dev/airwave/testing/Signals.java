package dev.airwave.testing;

import io.vertx.core.json.JsonObject;

/** Bodies of {@code airwave.signal} requests, as a browser would send them. */
public final class Signals {
  private Signals() {}

  public static JsonObject offer(String to, String sdp) {
    return new JsonObject()
        .put("to", to)
        .put("type", "offer")
        .put("description", new JsonObject().put("type", "offer").put("sdp", sdp));
  }

  public static JsonObject answer(String to, String sdp) {
    return new JsonObject()
        .put("to", to)
        .put("type", "answer")
        .put("description", new JsonObject().put("type", "answer").put("sdp", sdp));
  }

  public static JsonObject ice(String to, String candidate) {
    return new JsonObject()
        .put("to", to)
        .put("type", "ice")
        .put(
            "candidate",
            new JsonObject()
                .put("candidate", candidate)
                .put("sdpMid", "0")
                .put("sdpMLineIndex", 0));
  }
}
