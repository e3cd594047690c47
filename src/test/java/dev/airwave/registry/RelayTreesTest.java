package dev.airwave.registry;

import static dev.airwave.registry.RegistryTest.ANN;
import static dev.airwave.registry.RegistryTest.BOB;
import static dev.airwave.registry.RegistryTest.CY;
import static dev.airwave.registry.RegistryTest.DEE;
import static dev.airwave.registry.RegistryTest.HOST;
import static dev.airwave.registry.RegistryTest.STRANGER;
import static dev.airwave.registry.RegistryTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.registry.RegistryTest.Harness;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Relay trees in the registry: who feeds whom, and what each member is told")
class RelayTreesTest {
  private static final String EVE = "Eve0Eve0Eve0Eve0Eve0Ev";
  private static final String HOST2 = "Host2Host2Host2Host2Ho";
  private static final String SDP = "v=0\r\n";

  private final Harness h =
      new Harness(
          new JsonObject().put("directSlots", 2).put("relaySlots", 2).put("relayMaxDepth", 4));

  private JsonObject relaying(String peer) {
    return h.create(peer, new JsonObject().put("id", "tree").put("relay", true));
  }

  private JsonObject joins(String peer, boolean relay) {
    return h.join(peer, new JsonObject().put("id", "tree").put("relay", relay));
  }

  /** The types this peer received, in order, with the viewer or parent each names. */
  private List<String> told(String peer) {
    return h.mail(peer).stream()
        .filter(m -> List.of("feed", "unfeed", "parent").contains(m.getString("type")))
        .map(
            m ->
                m.getString("type")
                    + " "
                    + (m.getString("type").equals("parent")
                        ? m.getString("parent")
                        : m.getString("viewer")))
        .toList();
  }

  private JsonObject lastTree() {
    List<JsonObject> trees = h.mail(HOST, "tree");
    return trees.get(trees.size() - 1);
  }

  private static JsonObject shape(int direct, int depth, int viewers, int waiting) {
    return new JsonObject()
        .put("direct", direct)
        .put("depth", depth)
        .put("viewers", viewers)
        .put("waiting", waiting);
  }

  private static JsonObject figures(JsonObject tree) {
    return new JsonObject()
        .put("direct", tree.getInteger("direct"))
        .put("depth", tree.getInteger("depth"))
        .put("viewers", tree.getInteger("viewers"))
        .put("waiting", tree.getInteger("waiting"));
  }

  private static JsonObject offer(String to) {
    return RelayTest.offer(to, SDP);
  }

  @Test
  @DisplayName(
      "the broadcaster feeds directSlots viewers; the next goes under the first relay, which is"
          + " told to feed it")
  void newcomersGoUnderTheShallowestFreeSlot() {
    assertTrue(relaying(HOST).getJsonObject("channel").getBoolean("relay"));
    assertEquals(HOST, joins(ANN, true).getString("parent"));
    assertEquals(HOST, joins(BOB, true).getString("parent"));
    assertEquals(ANN, joins(CY, true).getString("parent"));
    assertEquals(List.of("feed " + ANN, "feed " + BOB), told(HOST));
    assertEquals(List.of("feed " + CY), told(ANN));
    assertEquals(3, h.mail(HOST, "viewer-joined").size(), "presence as in every channel");
    assertEquals(shape(2, 2, 3, 0), figures(lastTree()));
  }

  @Test
  @DisplayName("a channel that does not relay is unchanged: no parent, feed, tree, nor viewer edge")
  void flatChannelIsUnchanged() {
    h.broadcast(HOST, "flat");
    JsonObject reply = h.join(ANN, new JsonObject().put("id", "flat").put("relay", true));
    h.join(BOB, new JsonObject().put("id", "flat").put("relay", true));
    assertFalse(reply.containsKey("parent"));
    assertFalse(reply.getJsonObject("channel").getBoolean("relay"));
    assertTrue(told(HOST).isEmpty());
    assertTrue(h.mail(HOST, "tree").isEmpty());
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(ANN, offer(BOB)));
    refused(ErrorCode.NOT_RELAYED, () -> h.relayAble(ANN, false));
    refused(ErrorCode.NOT_RELAYED, () -> h.stalled(ANN));
  }

  @Test
  @DisplayName("viewers signal along their tree edge, both ways, and nowhere else")
  void signalsFollowTheEdges() {
    relaying(HOST);
    joins(ANN, true);
    joins(BOB, true);
    joins(CY, true);
    h.forget();
    h.signal(ANN, offer(CY));
    h.signal(CY, RelayTest.description(ANN, "answer", SDP));
    assertEquals(ANN, h.only(CY, "offer").getString("from"));
    assertEquals(CY, h.only(ANN, "answer").getString("from"));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(BOB, offer(CY)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(CY, offer(BOB)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(ANN, offer(BOB)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(STRANGER, offer(CY)));
    h.signal(HOST, offer(CY));
    h.signal(CY, offer(HOST));
  }

  @Test
  @DisplayName("a relay that leaves: its children go to the freed slots and renegotiate there")
  void relayLeaves() {
    relaying(HOST);
    joins(ANN, true);
    joins(BOB, true);
    joins(CY, true);
    joins(DEE, true);
    h.forget();
    h.disconnect(ANN);
    // The host's slot is free again: CY (first) takes it, DEE goes under BOB.
    assertEquals(List.of("parent " + HOST), told(CY));
    assertEquals(List.of("parent " + BOB), told(DEE));
    assertEquals(List.of("unfeed " + ANN, "feed " + CY), told(HOST));
    assertEquals(List.of("feed " + DEE), told(BOB));
    assertEquals(shape(2, 2, 3, 0), figures(lastTree()));
    h.forget();
    h.signal(BOB, offer(DEE));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(CY, offer(DEE)));
  }

  @Test
  @DisplayName(
      "a relay that can no longer relay lets its children go first; they hear their new feeder"
          + " last")
  void relayStopsRelaying() {
    relaying(HOST);
    joins(ANN, true);
    joins(BOB, true);
    joins(CY, true);
    h.forget();
    assertEquals(new JsonObject(), h.relayAble(ANN, false));
    List<String> order =
        h.sent.stream()
            .filter(e -> !e.getValue().getString("type").equals("tree"))
            .map(e -> e.getKey() + " " + e.getValue().getString("type"))
            .toList();
    assertEquals(List.of(ANN + " unfeed", BOB + " feed", CY + " parent"), order);
    assertEquals(BOB, h.only(CY, "parent").getString("parent"));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(ANN, offer(CY)));
    assertEquals(BOB, joins(DEE, true).getString("parent"), "ANN takes nobody any more");
  }

  @Test
  @DisplayName("viewers that find no free slot wait, and take one as soon as it frees")
  void waitForAFreeSlot() {
    relaying(HOST);
    joins(ANN, false);
    joins(BOB, false);
    JsonObject reply = joins(CY, true);
    assertTrue(reply.containsKey("parent"));
    assertNull(reply.getValue("parent"), "nobody relays and the host's two slots are taken");
    assertEquals(shape(2, 1, 2, 1), figures(lastTree()));
    h.forget();
    h.leave(ANN);
    assertEquals(List.of("parent " + HOST), told(CY));
    assertEquals(List.of("unfeed " + ANN, "feed " + CY), told(HOST));
    assertEquals(shape(2, 1, 2, 0), figures(lastTree()));
  }

  @Test
  @DisplayName("viewers waiting before the start learn their feeder in channel-live")
  void waitingViewersArePlacedAtTheStart() {
    joins(ANN, true);
    joins(BOB, true);
    joins(CY, false);
    assertNull(joins(DEE, true).getValue("parent"), "nothing is live yet");
    h.forget();
    relaying(HOST);
    assertEquals(HOST, h.only(ANN, "channel-live").getString("parent"));
    assertEquals(HOST, h.only(BOB, "channel-live").getString("parent"));
    assertEquals(ANN, h.only(CY, "channel-live").getString("parent"));
    assertEquals(ANN, h.only(DEE, "channel-live").getString("parent"));
    assertEquals(List.of("feed " + ANN, "feed " + BOB), told(HOST));
    assertEquals(List.of("feed " + CY, "feed " + DEE), told(ANN));
    assertEquals(shape(2, 2, 4, 0), figures(lastTree()));
  }

  @Test
  @DisplayName(
      "a resumed broadcaster takes its old place: its direct viewers reconnect to it, the relays"
          + " below keep feeding")
  void resumeKeepsTheShape() {
    String token = relaying(HOST).getString("resumeToken");
    joins(ANN, true);
    joins(BOB, true);
    joins(CY, true);
    h.disconnect(HOST);
    h.forget();
    h.resume(HOST2, "tree", token);
    assertEquals(HOST2, h.only(ANN, "channel-live").getString("parent"));
    assertEquals(HOST2, h.only(BOB, "channel-live").getString("parent"));
    assertEquals(ANN, h.only(CY, "channel-live").getString("parent"));
    assertEquals(List.of("feed " + ANN, "feed " + BOB), told(HOST2));
    assertTrue(told(ANN).isEmpty(), "ANN still feeds CY");
    assertEquals(shape(2, 2, 3, 0), figures(h.only(HOST2, "tree")));
    h.signal(HOST2, offer(ANN));
    h.signal(ANN, offer(CY));
  }

  @Test
  @DisplayName("a viewer joining while the broadcaster is away waits for channel-live")
  void joinWhileAway() {
    String token = relaying(HOST).getString("resumeToken");
    h.disconnect(HOST);
    assertNull(joins(ANN, true).getValue("parent"));
    h.forget();
    h.resume(HOST2, "tree", token);
    assertEquals(HOST2, h.only(ANN, "channel-live").getString("parent"));
    assertEquals(List.of("feed " + ANN), told(HOST2));
  }

  @Test
  @DisplayName(
      "a viewer whose relay stalled moves, alone, under a member outside the stalled subtree")
  void stalledRelay() {
    relaying(HOST);
    joins(ANN, true);
    joins(BOB, true);
    joins(CY, true);
    joins(DEE, true);
    joins(EVE, true);
    // HOST feeds ANN and BOB; ANN feeds CY and DEE; BOB feeds EVE.
    h.forget();
    assertEquals(new JsonObject(), h.stalled(CY));
    assertEquals(List.of("unfeed " + CY), told(ANN));
    assertEquals(List.of("feed " + CY), told(BOB));
    assertEquals(List.of("parent " + BOB), told(CY));
    assertTrue(told(DEE).isEmpty(), "only the reporter moves");
    h.forget();
    h.stalled(ANN);
    assertTrue(h.sent.isEmpty(), "the broadcaster's own connection recovers by itself");
  }

  @Test
  @DisplayName("relay requests are refused to broadcasters, strangers and bad bodies")
  void relayRequestsAreChecked() {
    relaying(HOST);
    joins(ANN, true);
    refused(ErrorCode.NOT_VIEWER, () -> h.relayAble(HOST, true));
    refused(ErrorCode.NOT_VIEWER, () -> h.stalled(HOST));
    refused(ErrorCode.NOT_MEMBER, () -> h.relayAble(STRANGER, true));
    refused(ErrorCode.NOT_MEMBER, () -> h.stalled(STRANGER));
    refused(
        ErrorCode.BAD_REQUEST,
        () -> h.registry.relayAble(ANN, new JsonObject().put("relay", "yes")));
    refused(ErrorCode.BAD_REQUEST, () -> h.registry.relayAble(ANN, new JsonObject()));
    refused(
        ErrorCode.BAD_REQUEST,
        () -> h.registry.relayStalled(ANN, new JsonObject().put("parent", HOST)));
    refused(
        ErrorCode.BAD_REQUEST,
        () -> h.registry.create(BOB, new JsonObject().put("id", "x").put("relay", 1)));
  }

  @Test
  @DisplayName("the status counts trees, placed and waiting viewers, depth and moves")
  void statusFigures() {
    relaying(HOST);
    joins(ANN, true);
    joins(BOB, false);
    joins(CY, true);
    joins(DEE, false);
    h.disconnect(ANN);
    JsonObject relay = h.registry.status().getJsonObject("relay");
    assertEquals(
        Map.of("trees", 1, "viewers", 3, "waiting", 0, "depth", 2, "moves", 2L),
        Map.of(
            "trees", relay.getInteger("trees"),
            "viewers", relay.getInteger("viewers"),
            "waiting", relay.getInteger("waiting"),
            "depth", relay.getInteger("depth"),
            "moves", relay.getLong("moves")));
  }
}
