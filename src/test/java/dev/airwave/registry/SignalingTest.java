package dev.airwave.registry;

import static dev.airwave.testing.Signals.answer;
import static dev.airwave.testing.Signals.ice;
import static dev.airwave.testing.Signals.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Offer, answer and ICE relay over the bridge")
class SignalingTest extends ServiceTest {
  @Test
  @DisplayName("a broadcaster and three viewers complete offer, answer and ICE in both directions")
  void broadcasterAndThreeViewersNegotiate() {
    BridgeClient broadcaster = clients.broadcaster("show");
    List<BridgeClient> viewers =
        List.of(
            clients.viewer("show", "Ann"),
            clients.viewer("show", "Bob"),
            clients.viewer("show", "Cy"));
    for (BridgeClient viewer : viewers) {
      JsonObject joined = broadcaster.next("viewer-joined");
      String viewerId = joined.getJsonObject("viewer").getString("peerId");
      assertEquals(viewer.peerId(), viewerId);

      broadcaster.request("airwave.signal", offer(viewerId, "v=0 offer-for-" + viewerId));
      JsonObject offer = viewer.next("offer");
      assertEquals(broadcaster.peerId(), offer.getString("from"));
      assertEquals("show", offer.getString("channel"));
      assertEquals(
          "v=0 offer-for-" + viewerId, offer.getJsonObject("description").getString("sdp"));

      viewer.request("airwave.signal", answer(broadcaster.peerId(), "v=0 answer"));
      JsonObject answer = broadcaster.next("answer");
      assertEquals(viewerId, answer.getString("from"));
      assertEquals("answer", answer.getJsonObject("description").getString("type"));

      broadcaster.request(
          "airwave.signal", ice(viewerId, "candidate:1 1 udp 1 127.0.0.1 5000 typ host"));
      JsonObject fromBroadcaster = viewer.next("ice");
      assertEquals(0, fromBroadcaster.getJsonObject("candidate").getInteger("sdpMLineIndex"));
      viewer.request(
          "airwave.signal",
          ice(broadcaster.peerId(), "candidate:2 1 udp 1 127.0.0.1 5001 typ host"));
      assertEquals(viewerId, broadcaster.next("ice").getString("from"));
    }
  }

  @Test
  @DisplayName("a viewer may renegotiate with an offer of its own, answered by the broadcaster")
  void viewerOffersForRecovery() {
    BridgeClient broadcaster = clients.broadcaster("renego");
    BridgeClient viewer = clients.viewer("renego", "Ann");
    viewer.request("airwave.signal", offer(broadcaster.peerId(), "v=0 restart"));
    assertEquals(viewer.peerId(), broadcaster.next("offer").getString("from"));
    broadcaster.request("airwave.signal", answer(viewer.peerId(), "v=0 answer"));
    assertEquals("v=0 answer", viewer.next("answer").getJsonObject("description").getString("sdp"));
  }

  @Test
  @DisplayName("the end of candidates is relayed as a null candidate")
  void endOfCandidates() {
    BridgeClient broadcaster = clients.broadcaster("eoc");
    BridgeClient viewer = clients.viewer("eoc", "Ann");
    broadcaster.request(
        "airwave.signal",
        new JsonObject().put("to", viewer.peerId()).put("type", "ice").putNull("candidate"));
    JsonObject ice = viewer.next("ice");
    assertNull(ice.getValue("candidate"));
  }

  @Test
  @DisplayName("fields the client adds to a description or candidate are not relayed")
  void relayedSignalsAreRebuilt() {
    BridgeClient broadcaster = clients.broadcaster("clean");
    BridgeClient viewer = clients.viewer("clean", "Ann");
    JsonObject spoofed = offer(viewer.peerId(), "v=0");
    broadcaster.request("airwave.signal", spoofed);
    JsonObject relayed = viewer.next("offer");
    assertEquals(broadcaster.peerId(), relayed.getString("from"));
    assertEquals(2, relayed.getJsonObject("description").size());
  }
}
