package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Leaving, stopping, disconnecting and resuming")
class LifecycleTest extends ServiceTest {
  @Override
  protected JsonObject settings() {
    return new JsonObject().put("graceSeconds", 2);
  }

  private JsonObject create(BridgeClient broadcaster, String id) {
    return broadcaster.request("airwave.channel.create", new JsonObject().put("id", id));
  }

  @Test
  @DisplayName("a viewer whose socket dies frees its place and the broadcaster is told at once")
  void viewerDisconnect() {
    BridgeClient broadcaster = clients.broadcaster("life1");
    BridgeClient ann = clients.viewer("life1", "Ann");
    broadcaster.next("viewer-joined");
    ann.close();
    JsonObject left = broadcaster.next("viewer-left", Duration.ofSeconds(2));
    assertEquals("disconnected", left.getString("reason"));
    assertEquals(0, left.getInteger("viewers"));
    clients.viewer("life1", "Ann");
  }

  @Test
  @DisplayName("stopping ends the channel for every viewer, who may then join elsewhere")
  void stopEndsTheChannel() {
    BridgeClient broadcaster = clients.broadcaster("life2");
    BridgeClient ann = clients.viewer("life2", "Ann");
    BridgeClient bob = clients.viewer("life2", "Bob");
    broadcaster.request("airwave.channel.stop", new JsonObject().put("id", "life2"));
    assertEquals("stopped", ann.next("channel-ended").getString("reason"));
    assertEquals("stopped", bob.next("channel-ended").getString("reason"));
    ann.refusal("airwave.chat.send", new JsonObject().put("text", "hi")).assertCode("not_member");
    clients.broadcaster("life2b");
    ann.request("airwave.channel.join", new JsonObject().put("id", "life2b"));
    create(broadcaster, "life2");
  }

  @Test
  @DisplayName("a viewer who arrives before the broadcaster waits and is told when it starts")
  void viewerWaitsForTheBroadcast() {
    BridgeClient ann = clients.ready();
    JsonObject reply =
        ann.request("airwave.channel.join", new JsonObject().put("id", "life3").put("name", "Ann"));
    assertEquals("waiting", reply.getString("status"));
    assertNull(reply.getValue("channel"));
    BridgeClient broadcaster = clients.ready();
    JsonObject created = create(broadcaster, "life3");
    assertEquals(1, created.getJsonArray("viewers").size());
    JsonObject live = ann.next("channel-live");
    assertEquals("life3", live.getJsonObject("channel").getString("id"));
    assertEquals(
        ann.peerId(),
        broadcaster.next("viewer-joined").getJsonObject("viewer").getString("peerId"));
  }

  @Test
  @DisplayName("a broadcaster who comes back within the grace period keeps its channel and viewers")
  void resumeWithinGrace() {
    BridgeClient broadcaster = clients.ready();
    String token = create(broadcaster, "life4").getString("resumeToken");
    BridgeClient ann = clients.viewer("life4", "Ann");
    broadcaster.close();
    assertEquals(2, ann.next("broadcaster-away").getInteger("graceSeconds"));
    BridgeClient back = clients.ready();
    JsonObject resumed =
        back.request(
            "airwave.channel.resume",
            new JsonObject().put("id", "life4").put("resumeToken", token));
    assertEquals("life4", resumed.getJsonObject("channel").getString("id"));
    assertEquals("Ann", resumed.getJsonArray("viewers").getJsonObject(0).getString("name"));
    assertEquals("life4", ann.next("channel-live").getJsonObject("channel").getString("id"));
    assertEquals(
        ann.peerId(), back.next("viewer-joined").getJsonObject("viewer").getString("peerId"));
    ann.expectNo("channel-ended", Duration.ofMillis(2500));
  }

  @Test
  @DisplayName("after the grace period the channel ends and its viewers are told")
  void graceExpires() {
    BridgeClient broadcaster = clients.ready();
    String token = create(broadcaster, "life5").getString("resumeToken");
    BridgeClient ann = clients.viewer("life5", "Ann");
    broadcaster.close();
    ann.next("broadcaster-away");
    JsonObject ended = ann.next("channel-ended", Duration.ofSeconds(4));
    assertEquals("broadcaster-gone", ended.getString("reason"));
    clients
        .ready()
        .refusal(
            "airwave.channel.resume", new JsonObject().put("id", "life5").put("resumeToken", token))
        .assertCode("no_such_channel");
  }

  @Test
  @DisplayName(
      "a wrong resume token is refused, and so is resuming a channel whose broadcaster is here")
  void resumeNeedsTheTokenAndAnAbsentBroadcaster() {
    BridgeClient broadcaster = clients.ready();
    String token = create(broadcaster, "life6").getString("resumeToken");
    BridgeClient thief = clients.ready();
    thief
        .refusal(
            "airwave.channel.resume", new JsonObject().put("id", "life6").put("resumeToken", token))
        .assertCode("broadcaster_present");
    thief
        .refusal(
            "airwave.channel.resume",
            new JsonObject().put("id", "life6").put("resumeToken", "nope"))
        .assertCode("bad_token");
    broadcaster.close();
    thief
        .refusal(
            "airwave.channel.resume",
            new JsonObject().put("id", "life6").put("resumeToken", "x" + token))
        .assertCode("bad_token");
  }

  @Test
  @DisplayName("a generated channel id is 8 unguessable characters and the token 32")
  void generatedIds() {
    JsonObject created = clients.ready().request("airwave.channel.create", new JsonObject());
    String id = created.getJsonObject("channel").getString("id");
    assertTrue(id.matches("[A-Za-z0-9_-]{8}"), id);
    assertEquals(32, created.getString("resumeToken").length());
  }
}
