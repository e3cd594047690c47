package dev.airwave.http;

import static dev.airwave.testing.Signals.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The bridge lets each socket act only as itself")
class BridgeSecurityTest extends ServiceTest {
  private static final Duration BRIEFLY = Duration.ofMillis(300);

  private static JsonObject register(String address) {
    return new JsonObject().put("type", "register").put("address", address);
  }

  @ParameterizedTest(name = "header \"{0}\"")
  @ValueSource(strings = {"peer", "Peer", "PEER", "pEeR"})
  @DisplayName("a sender header in any spelling is replaced by the socket's own identity")
  void senderHeaderCannotBeSpoofed(String header) {
    BridgeClient broadcaster = clients.broadcaster("spoof-" + header);
    BridgeClient ann = clients.viewer("spoof-" + header, "Ann");
    ann.request(
        "airwave.chat.send",
        new JsonObject().put("text", "who am I"),
        new JsonObject().put(header, broadcaster.peerId()));
    JsonObject chat = broadcaster.next("chat");
    assertEquals(ann.peerId(), chat.getJsonObject("from").getString("peerId"));
    assertEquals("viewer", chat.getJsonObject("from").getString("role"));
  }

  @Test
  @DisplayName("a socket may register its own inbox but not another peer's")
  void onlyOwnInbox() {
    BridgeClient broadcaster = clients.broadcaster("inbox");
    BridgeClient eve = clients.ready();
    eve.sendFrame(register(broadcaster.inbox()));
    assertEquals("rejected", eve.nextBridgeError());
    BridgeClient ann = clients.viewer("inbox", "Ann");
    ann.request("airwave.chat.send", new JsonObject().put("text", "secret"));
    broadcaster.next("chat");
    eve.expectNo("chat", BRIEFLY);
    eve.expectNo("viewer-joined", BRIEFLY);
  }

  @Test
  @DisplayName("the public channel list may be registered, any other address is denied")
  void registerAllowList() {
    BridgeClient client = clients.ready();
    client.register("airwave.channels");
    for (String address :
        new String[] {"airwave.chat.send", "airwave.internal.peer-gone", "airwave.peer", "other"}) {
      client.sendFrame(register(address));
      assertEquals("access_denied", client.nextBridgeError());
    }
  }

  @Test
  @DisplayName("sending to an address off the allow-list is denied, internal ones included")
  void sendAllowList() {
    BridgeClient broadcaster = clients.broadcaster("internal");
    BridgeClient ann = clients.viewer("internal", "Ann");
    BridgeClient eve = clients.ready();
    for (String address :
        new String[] {
          "airwave.internal.peer-gone", "airwave.internal.status", ann.inbox(), "airwave.channels"
        }) {
      eve.sendFrame(
          new JsonObject()
              .put("type", "send")
              .put("address", address)
              .put("body", new JsonObject().put("type", "channel-ended"))
              .put("headers", new JsonObject().put("peer", ann.peerId())));
      assertEquals("access_denied", eve.nextBridgeError());
    }
    ann.expectNo("channel-ended", BRIEFLY);
    ann.request("airwave.chat.send", new JsonObject().put("text", "still a member"));
    broadcaster.next("chat");
  }

  @Test
  @DisplayName("publishing is refused even to an address that may be sent to")
  void publishIsRefused() {
    BridgeClient client = clients.ready();
    client.sendFrame(
        new JsonObject()
            .put("type", "publish")
            .put("address", "airwave.chat.send")
            .put("body", new JsonObject().put("text", "to all")));
    assertEquals("rejected", client.nextBridgeError());
  }

  @Test
  @DisplayName("signals reach only the broadcaster or a viewer of the same channel")
  void relayOnlyWithinTheChannel() {
    BridgeClient broadcaster = clients.broadcaster("relay1");
    BridgeClient ann = clients.viewer("relay1", "Ann");
    BridgeClient bob = clients.viewer("relay1", "Bob");
    BridgeClient otherHost = clients.broadcaster("relay2");
    BridgeClient outsider = clients.ready();
    ann.refusal("airwave.signal", offer(bob.peerId(), "v=0")).assertCode("not_allowed");
    ann.refusal("airwave.signal", offer(ann.peerId(), "v=0")).assertCode("not_allowed");
    ann.refusal("airwave.signal", offer(otherHost.peerId(), "v=0")).assertCode("not_allowed");
    otherHost.refusal("airwave.signal", offer(ann.peerId(), "v=0")).assertCode("not_allowed");
    outsider.refusal("airwave.signal", offer(ann.peerId(), "v=0")).assertCode("not_allowed");
    broadcaster
        .refusal("airwave.signal", offer("AAAAAAAAAAAAAAAAAAAAAA", "v=0"))
        .assertCode("no_such_peer");
    bob.expectNo("offer", BRIEFLY);
    ann.expectNo("offer", BRIEFLY);
    broadcaster.request("airwave.signal", offer(ann.peerId(), "v=0"));
    ann.next("offer");
  }

  @Test
  @DisplayName("only a channel's broadcaster can stop it or keep it alive")
  void onlyTheOwnerControls() {
    BridgeClient broadcaster = clients.broadcaster("owned");
    BridgeClient ann = clients.viewer("owned", "Ann");
    BridgeClient otherHost = clients.broadcaster("owned2");
    BridgeClient stranger = clients.ready();
    for (BridgeClient intruder : new BridgeClient[] {ann, otherHost, stranger}) {
      intruder
          .refusal("airwave.channel.stop", new JsonObject().put("id", "owned"))
          .assertCode("not_owner");
    }
    ann.refusal("airwave.channel.keepalive", new JsonObject()).assertCode("not_broadcaster");
    stranger.refusal("airwave.channel.keepalive", new JsonObject()).assertCode("not_broadcaster");
    ann.expectNo("channel-ended", BRIEFLY);
    broadcaster.request("airwave.channel.stop", new JsonObject().put("id", "owned"));
    ann.next("channel-ended");
  }

  @Test
  @DisplayName("a broadcaster leaves by stopping; a stranger has nothing to leave")
  void leaveIsForViewers() {
    BridgeClient broadcaster = clients.broadcaster("leave");
    broadcaster.refusal("airwave.channel.leave", new JsonObject()).assertCode("not_viewer");
    clients.ready().refusal("airwave.channel.leave", new JsonObject()).assertCode("not_member");
  }
}
