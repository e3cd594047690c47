package dev.airwave.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Every malformed input gets a clear error and harms no one else")
class MalformedInputTest extends ServiceTest {
  @Override
  protected JsonObject settings() {
    return new JsonObject().put("maxFrameBytes", 8192).put("maxSdpBytes", 4096);
  }

  @Test
  @DisplayName("frames that are not bridge JSON are answered with the bridge's error codes")
  void badFrames() {
    BridgeClient bad = clients.ready();
    bad.sendText("{not json");
    assertEquals("invalid_json", bad.nextBridgeError());
    bad.sendText("{\"address\":\"airwave.hello\"}");
    assertEquals("missing_type", bad.nextBridgeError());
    bad.sendText("{\"type\":\"send\"}");
    assertEquals("missing_address", bad.nextBridgeError());
    bad.sendText("{\"type\":\"shout\",\"address\":\"airwave.hello\"}");
    assertEquals("invalid_type", bad.nextBridgeError());
    bad.sendText("{\"type\":\"send\",\"address\":\"nowhere\",\"body\":{}}");
    assertEquals("access_denied", bad.nextBridgeError());
    bad.sendText(
        "{\"type\":\"send\",\"address\":\"airwave.hello\",\"body\":{},\"replyAddress\":\""
            + "r".repeat(37)
            + "\"}");
    assertEquals("invalid_reply_address", bad.nextBridgeError());
    bad.sync();
  }

  @Test
  @DisplayName("bodies of the wrong shape are refused with bad_request, naming the problem")
  void badBodies() {
    BridgeClient bad = clients.ready();
    for (Object body : List.of("text", 42, new JsonArray().add(1), true)) {
      assertEquals(400, bad.refusal("airwave.channel.create", body).status());
    }
    assertEquals("bad_request", bad.refusal("airwave.channel.join", null).code());
    bad.refusal("airwave.channel.join", new JsonObject()).assertCode("bad_request");
    bad.refusal("airwave.channel.join", new JsonObject().put("id", 7)).assertCode("bad_request");
    bad.refusal("airwave.channel.create", new JsonObject().put("title", List.of("x")))
        .assertCode("bad_request");
    bad.refusal("airwave.channel.create", new JsonObject().put("colour", "red"))
        .assertCode("bad_request");
    BridgeClient.Refused refused =
        bad.refusal("airwave.channel.create", new JsonObject().put("colour", "red"));
    assertEquals("bad_request: Unknown field \"colour\".", refused.getMessage());
  }

  @Test
  @DisplayName("malformed signals are refused: unknown type, missing or mismatched parts")
  void badSignals() {
    BridgeClient broadcaster = clients.broadcaster("malformed");
    BridgeClient ann = clients.viewer("malformed", "Ann");
    String to = ann.peerId();
    broadcaster
        .refusal("airwave.signal", new JsonObject().put("to", to).put("type", "bye"))
        .assertCode("unknown_type");
    broadcaster
        .refusal("airwave.signal", new JsonObject().put("to", to).put("type", "offer"))
        .assertCode("bad_request");
    broadcaster
        .refusal(
            "airwave.signal",
            new JsonObject()
                .put("to", to)
                .put("type", "offer")
                .put("description", new JsonObject().put("type", "answer").put("sdp", "v=0")))
        .assertCode("bad_request");
    broadcaster
        .refusal(
            "airwave.signal",
            new JsonObject()
                .put("to", to)
                .put("type", "ice")
                .put(
                    "candidate",
                    new JsonObject().put("candidate", "c").put("sdpMLineIndex", "zero")))
        .assertCode("bad_request");
    broadcaster
        .refusal("airwave.signal", new JsonObject().put("type", "ice"))
        .assertCode("bad_request");
    ann.request("airwave.chat.send", new JsonObject().put("text", "unharmed"));
    broadcaster.next("chat");
  }

  @Test
  @DisplayName("a frame over the size limit closes that socket and no other")
  void oversizedFrame() {
    BridgeClient broadcaster = clients.broadcaster("big");
    BridgeClient ann = clients.viewer("big", "Ann");
    JsonObject huge =
        new JsonObject()
            .put("type", "send")
            .put("address", "airwave.chat.send")
            .put("body", new JsonObject().put("text", "x".repeat(20_000)));
    ann.sendFrame(huge);
    ann.awaitClose();
    assertEquals("disconnected", broadcaster.next("viewer-left").getString("reason"));
    broadcaster.expectNo("chat", java.time.Duration.ofMillis(100));
    BridgeClient bob = clients.viewer("big", "Bob");
    bob.request("airwave.chat.send", new JsonObject().put("text", "x".repeat(500)));
    assertEquals(500, broadcaster.next("chat").getString("text").length());
    assertFalse(bob.isClosed());
  }

  @Test
  @DisplayName("requests without a sender identity from inside the server are refused")
  void internalSendersNeedAnIdentity() {
    Throwable failure =
        service
            .vertx()
            .eventBus()
            .request("airwave.channel.create", new JsonObject())
            .map(reply -> (Throwable) null)
            .otherwise(err -> err)
            .await();
    assertEquals("bad_request: The message has no sender identity.", failure.getMessage());
  }
}
