package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Chat")
class ChatTest extends ServiceTest {
  private static final Duration BRIEFLY = Duration.ofMillis(300);

  static JsonObject text(String text) {
    return new JsonObject().put("text", text);
  }

  @Test
  @DisplayName("a viewer's message reaches every member with its server-stamped name and role")
  void viewerMessageReachesEveryone() {
    BridgeClient broadcaster = clients.broadcaster("chat1");
    BridgeClient ann = clients.viewer("chat1", "Ann");
    BridgeClient bob = clients.viewer("chat1", "Bob");
    ann.request("airwave.chat.send", text("  hello all  "));
    for (BridgeClient member : List.of(broadcaster, ann, bob)) {
      JsonObject chat = member.next("chat");
      assertEquals("hello all", chat.getString("text"));
      assertEquals("Ann", chat.getJsonObject("from").getString("name"));
      assertEquals("viewer", chat.getJsonObject("from").getString("role"));
      assertEquals(ann.peerId(), chat.getJsonObject("from").getString("peerId"));
    }
  }

  @Test
  @DisplayName("the broadcaster's message reaches every viewer as the broadcaster")
  void broadcasterMessageReachesViewers() {
    BridgeClient broadcaster = clients.ready();
    broadcaster.request(
        "airwave.channel.create", new JsonObject().put("id", "chat2").put("name", "Host"));
    List<BridgeClient> viewers =
        List.of(clients.viewer("chat2", "Ann"), clients.viewer("chat2", "Bob"));
    broadcaster.request("airwave.chat.send", text("<img src=x onerror=alert(1)>"));
    for (BridgeClient viewer : viewers) {
      JsonObject chat = viewer.next("chat");
      assertEquals("<img src=x onerror=alert(1)>", chat.getString("text"));
      assertEquals("Host", chat.getJsonObject("from").getString("name"));
      assertEquals("broadcaster", chat.getJsonObject("from").getString("role"));
    }
  }

  @Test
  @DisplayName("chat stays inside its channel: members of another channel hear nothing")
  void chatStaysInItsChannel() {
    clients.broadcaster("chat3");
    BridgeClient ann = clients.viewer("chat3", "Ann");
    clients.broadcaster("chat4");
    BridgeClient outsider = clients.viewer("chat4", "Zed");
    BridgeClient stranger = clients.ready();
    ann.request("airwave.chat.send", text("private"));
    ann.next("chat");
    outsider.expectNo("chat", BRIEFLY);
    stranger.expectNo("chat", BRIEFLY);
  }

  @Test
  @DisplayName("a socket in no channel cannot chat, and neither can a viewer still waiting")
  void nonMembersCannotChat() {
    clients.ready().refusal("airwave.chat.send", text("hi")).assertCode("not_member");
    BridgeClient waiting = clients.viewer("not-live-yet", "Ann");
    waiting.refusal("airwave.chat.send", text("hi")).assertCode("not_member");
  }

  @Test
  @DisplayName("empty, oversized or control-character text is refused with invalid_text")
  void invalidTextIsRefused() {
    BridgeClient broadcaster = clients.broadcaster("chat5");
    for (String bad :
        List.of("", "   ", "x".repeat(501), "line\nbreak", "bell\u0007", "\u202Eevil")) {
      broadcaster.refusal("airwave.chat.send", text(bad)).assertCode("invalid_text");
    }
    broadcaster.request("airwave.chat.send", text("x".repeat(500)));
    assertEquals(500, broadcaster.next("chat").getString("text").length());
  }

  @Test
  @DisplayName("a client cannot choose its sender: extra fields are refused")
  void clientCannotNameTheSender() {
    BridgeClient broadcaster = clients.broadcaster("chat6");
    BridgeClient ann = clients.viewer("chat6", "Ann");
    ann.refusal(
            "airwave.chat.send",
            text("hi").put("from", new JsonObject().put("name", "Host").put("role", "broadcaster")))
        .assertCode("bad_request");
    broadcaster.expectNo("chat", BRIEFLY);
  }
}
