package dev.airwave.registry;

import static dev.airwave.testing.Metrics.figure;
import static dev.airwave.testing.Metrics.scrapeUntil;
import static dev.airwave.testing.Signals.answer;
import static dev.airwave.testing.Signals.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The relay tree over the bridge: assignments, viewer-to-viewer signals, repair")
class RelayTreeProtocolTest extends ServiceTest {
  private static final Duration QUIET = Duration.ofMillis(300);

  @Override
  protected JsonObject settings() {
    // No grace: the channels of earlier tests end with their broadcasters, so the metrics count
    // this test's tree alone.
    return new JsonObject().put("directSlots", 1).put("relaySlots", 1).put("graceSeconds", 0);
  }

  private BridgeClient relayingBroadcaster(String id) {
    BridgeClient broadcaster = clients.ready();
    JsonObject reply =
        broadcaster.request(
            "airwave.channel.create", new JsonObject().put("id", id).put("relay", true));
    assertTrue(reply.getJsonObject("channel").getBoolean("relay"));
    return broadcaster;
  }

  private BridgeClient relayingViewer(String id, String name, String parent) {
    BridgeClient viewer = clients.ready();
    JsonObject reply =
        viewer.request(
            "airwave.channel.join",
            new JsonObject().put("id", id).put("name", name).put("relay", true));
    assertEquals(parent, reply.getString("parent"), name + "'s feeder");
    return viewer;
  }

  @Test
  @DisplayName(
      "hello gives the slots; a chain forms; viewers signal along it and a leaving relay is"
          + " bridged over")
  void chainFormsAndHeals() {
    BridgeClient host = relayingBroadcaster("chain");
    JsonObject limits = host.hello().getJsonObject("limits");
    assertEquals(1, limits.getInteger("directSlots"));
    assertEquals(1, limits.getInteger("relaySlots"));
    BridgeClient ann = relayingViewer("chain", "Ann", host.peerId());
    assertEquals(ann.peerId(), host.next("feed").getString("viewer"));
    BridgeClient bob = relayingViewer("chain", "Bob", ann.peerId());
    assertEquals(bob.peerId(), ann.next("feed").getString("viewer"));
    BridgeClient cy = relayingViewer("chain", "Cy", bob.peerId());
    JsonObject tree = host.next("tree");
    while (tree.getInteger("viewers") < 3) {
      tree = host.next("tree");
    }
    assertEquals(3, tree.getInteger("depth"));
    assertEquals(1, tree.getInteger("direct"));

    ann.request("airwave.signal", offer(bob.peerId(), "v=0 from ann"));
    assertEquals(ann.peerId(), bob.next("offer").getString("from"));
    bob.request("airwave.signal", answer(ann.peerId(), "v=0 from bob"));
    assertEquals(bob.peerId(), ann.next("answer").getString("from"));
    ann.refusal("airwave.signal", offer(cy.peerId(), "v=0")).assertCode("not_allowed");
    cy.refusal("airwave.signal", offer(ann.peerId(), "v=0")).assertCode("not_allowed");

    bob.close();
    JsonObject parent = cy.next("parent");
    assertEquals(ann.peerId(), parent.getString("parent"), "Cy goes under Ann's freed slot");
    assertEquals(cy.peerId(), ann.next("feed").getString("viewer"));
    ann.request("airwave.signal", offer(cy.peerId(), "v=0 again"));
    assertEquals(ann.peerId(), cy.next("offer").getString("from"));
  }

  @Test
  @DisplayName(
      "a viewer that stops relaying hands its child on; a stalled report moves the reporter")
  void ableAndStalled() {
    BridgeClient host = relayingBroadcaster("able");
    BridgeClient ann = relayingViewer("able", "Ann", host.peerId());
    BridgeClient bob = relayingViewer("able", "Bob", ann.peerId());
    ann.next("feed");
    ann.request("airwave.relay.able", new JsonObject().put("relay", false));
    assertEquals(bob.peerId(), ann.next("unfeed").getString("viewer"));
    JsonObject parent = bob.next("parent");
    assertTrue(parent.containsKey("parent"));
    assertNull(parent.getValue("parent"), "nobody else has a slot: Bob waits");
    ann.request("airwave.relay.able", new JsonObject().put("relay", true));
    assertEquals(ann.peerId(), bob.next("parent").getString("parent"));
    // Bob says Ann stalled: with no slot outside Ann's subtree, it waits again.
    bob.request("airwave.relay.stalled", new JsonObject());
    assertEquals(bob.peerId(), ann.next("unfeed").getString("viewer"));
    assertNull(bob.next("parent").getValue("parent"));
    host.refusal("airwave.relay.stalled", new JsonObject()).assertCode("not_viewer");
    clients
        .ready()
        .refusal("airwave.relay.able", new JsonObject().put("relay", true))
        .assertCode("not_member");
  }

  @Test
  @DisplayName("a channel that does not relay: replies and messages exactly as before")
  void flatChannel() {
    BridgeClient host = clients.broadcaster("flat");
    BridgeClient ann = clients.ready();
    JsonObject reply =
        ann.request(
            "airwave.channel.join",
            new JsonObject().put("id", "flat").put("name", "Ann").put("relay", true));
    assertFalse(reply.containsKey("parent"));
    assertFalse(reply.getJsonObject("channel").getBoolean("relay"));
    host.next("viewer-joined");
    host.expectNo("feed", QUIET);
    host.expectNo("tree", QUIET);
    ann.refusal("airwave.relay.able", new JsonObject().put("relay", false))
        .assertCode("not_relayed");
  }

  @Test
  @DisplayName("/metrics counts relay trees, their viewers, depth and moves")
  void metrics() throws Exception {
    String url = service.operationsUrl() + "/metrics";
    BridgeClient host = relayingBroadcaster("metered");
    BridgeClient ann = relayingViewer("metered", "Ann", host.peerId());
    relayingViewer("metered", "Bob", ann.peerId());
    String before =
        scrapeUntil(url, "\nairwave_relay_viewers 2.0\n", "\nairwave_relay_depth 2.0\n");
    double moves = figure(before, "airwave_relay_moves_total");
    ann.close();
    // Whole lines, so that 1.0 is not found in 11.0.
    scrapeUntil(
        url,
        "\nairwave_relay_trees 1.0\n",
        "\nairwave_relay_viewers 1.0\n",
        "\nairwave_relay_waiting 0.0\n",
        "\nairwave_relay_depth 1.0\n",
        "\nairwave_relay_moves_total " + (moves + 1) + "\n");
  }
}
