package dev.airwave.registry;

import static dev.airwave.registry.RegistryTest.ANN;
import static dev.airwave.registry.RegistryTest.BOB;
import static dev.airwave.registry.RegistryTest.CY;
import static dev.airwave.registry.RegistryTest.DEE;
import static dev.airwave.registry.RegistryTest.HOST;
import static dev.airwave.registry.RegistryTest.RIVAL;
import static dev.airwave.registry.RegistryTest.STRANGER;
import static dev.airwave.registry.RegistryTest.refused;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.registry.RegistryTest.Harness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Joining, leaving, naming, stopping and keeping a channel")
class RegistryMembershipTest {
  private final Harness h = new Harness();

  @Test
  @DisplayName("a viewer joins a live channel and its broadcaster is told at once")
  void joinLiveChannel() {
    h.create(HOST, new JsonObject().put("id", "demo").put("name", "Kim"));
    JsonObject reply = h.watch(ANN, "demo", "  Ann ");
    assertEquals("live", reply.getString("status"));
    assertEquals("Ann", reply.getString("name"));
    assertEquals("Kim", reply.getString("broadcaster"));
    assertEquals(1, reply.getJsonObject("channel").getInteger("viewers"));
    assertEquals(
        new JsonObject()
            .put("type", "viewer-joined")
            .put("channel", "demo")
            .put("viewer", new JsonObject().put("peerId", ANN).put("name", "Ann"))
            .put("viewers", 1),
        h.only(HOST, "viewer-joined"));
  }

  @Test
  @DisplayName("every member learns the viewer count when the counts are flushed, not before")
  void viewerCountsAreCoalesced() {
    h.broadcast(HOST, "demo");
    int before = h.changes;
    h.watch(ANN, "demo", "Ann");
    h.watch(BOB, "demo", "Bob");
    assertTrue(h.changes > before);
    assertTrue(h.mail(ANN, "viewers").isEmpty());
    h.registry.flushCounts();
    JsonObject count =
        new JsonObject().put("type", "viewers").put("channel", "demo").put("viewers", 2);
    for (String member : List.of(HOST, ANN, BOB)) {
      assertEquals(List.of(count), h.mail(member, "viewers"), member);
    }
    h.forget();
    h.registry.flushCounts();
    assertTrue(h.sent.isEmpty(), "nothing changed since the last flush");
  }

  @Test
  @DisplayName("a viewer may wait for a channel that has not started, then hears it go live")
  void joinBeforeBroadcast() {
    JsonObject reply = h.watch(ANN, "later", "Ann");
    assertEquals("waiting", reply.getString("status"));
    assertNull(reply.getValue("channel"));
    assertNull(reply.getValue("broadcaster"));
    assertEquals("Ann", reply.getString("name"));
    assertTrue(h.sent.isEmpty());
    assertEquals(List.of(), h.listedIds());

    JsonObject created = h.create(HOST, new JsonObject().put("id", "later").put("name", "Kim"));
    assertEquals(
        new JsonArray().add(new JsonObject().put("peerId", ANN).put("name", "Ann")),
        created.getJsonArray("viewers"));
    assertEquals(1, created.getJsonObject("channel").getInteger("viewers"));
    JsonObject live = h.only(ANN, "channel-live");
    assertEquals("Kim", live.getString("broadcaster"));
    assertEquals("later", live.getJsonObject("channel").getString("id"));
    assertTrue(live.getJsonObject("channel").getBoolean("live"));
    assertEquals(ANN, h.only(HOST, "viewer-joined").getJsonObject("viewer").getString("peerId"));
  }

  @Test
  @DisplayName("the viewer cap refuses the next viewer, waiting viewers included, until one leaves")
  void viewerCap() {
    Harness small = new Harness(new JsonObject().put("maxViewersPerChannel", 2));
    small.watch(ANN, "demo", "Ann");
    small.watch(BOB, "demo", "Bob");
    refused(ErrorCode.CHANNEL_FULL, () -> small.watch(CY, "demo", "Cy"));
    small.broadcast(HOST, "demo");
    refused(ErrorCode.CHANNEL_FULL, () -> small.watch(CY, "demo", "Cy"));
    assertEquals(2, small.listed("demo").getInteger("viewers"));
    small.leave(BOB);
    assertEquals("live", small.watch(CY, "demo", "Cy").getString("status"));
  }

  @Test
  @DisplayName("names are unique in a channel regardless of case, the broadcaster's included")
  void uniqueNames() {
    h.create(HOST, new JsonObject().put("id", "demo").put("name", "Kim"));
    h.watch(ANN, "demo", "Ann");
    refused(ErrorCode.NAME_TAKEN, () -> h.watch(BOB, "demo", "ANN"));
    refused(ErrorCode.NAME_TAKEN, () -> h.watch(BOB, "demo", "kim"));
    assertEquals(1, h.listed("demo").getInteger("viewers"));
    assertEquals("Anna", h.watch(BOB, "demo", "Anna").getString("name"));
    assertEquals("Ann", h.watch(CY, "other", "Ann").getString("name"));
  }

  @Test
  @DisplayName("viewers without a name get distinct guest names that skip names in use")
  void guestNames() {
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "viewer 2");
    assertEquals("Viewer 1", h.watch(BOB, "demo", null).getString("name"));
    assertEquals("Viewer 3", h.watch(CY, "demo", null).getString("name"));
    assertEquals("Viewer 4", h.watch(DEE, "demo", null).getString("name"));
  }

  @Test
  @DisplayName("a peer already watching cannot join a second channel until it leaves")
  void joinWhileInChannel() {
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    refused(ErrorCode.ALREADY_IN_CHANNEL, () -> h.watch(ANN, "other", "Ann"));
    refused(ErrorCode.ALREADY_IN_CHANNEL, () -> h.watch(HOST, "demo", "Kim"));
    h.leave(ANN);
    assertEquals("waiting", h.watch(ANN, "other", "Ann").getString("status"));
  }

  @Test
  @DisplayName("a viewer who leaves is gone at once and its broadcaster hears why")
  void leave() {
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    h.watch(BOB, "demo", "Bob");
    assertEquals(new JsonObject(), h.leave(ANN));
    assertEquals(
        new JsonObject()
            .put("type", "viewer-left")
            .put("channel", "demo")
            .put("peerId", ANN)
            .put("name", "Ann")
            .put("viewers", 1)
            .put("reason", "left"),
        h.only(HOST, "viewer-left"));
    assertEquals(1, h.listed("demo").getInteger("viewers"));
    refused(ErrorCode.NOT_MEMBER, () -> h.chat(ANN, "still here?"));
    h.chat(BOB, "hi");
    assertTrue(h.mail(ANN, "chat").isEmpty());
  }

  @Test
  @DisplayName("only a viewer leaves: a broadcaster stops instead and a stranger is refused")
  void leaveRefused() {
    h.broadcast(HOST, "demo");
    refused(ErrorCode.NOT_VIEWER, () -> h.leave(HOST));
    refused(ErrorCode.NOT_MEMBER, () -> h.leave(STRANGER));
    assertEquals(List.of("demo"), h.listedIds());
  }

  @Test
  @DisplayName("a waiting viewer who leaves is not brought in when the channel starts")
  void waitingViewerLeaves() {
    h.watch(ANN, "later", "Ann");
    h.leave(ANN);
    JsonObject created = h.broadcast(HOST, "later");
    assertEquals(new JsonArray(), created.getJsonArray("viewers"));
    assertTrue(h.mail(ANN).isEmpty());
    assertTrue(h.mail(HOST, "viewer-joined").isEmpty());
  }

  @Test
  @DisplayName("a viewer whose socket closes is removed and its broadcaster hears it disconnected")
  void viewerDisconnects() {
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    h.disconnect(ANN);
    JsonObject left = h.only(HOST, "viewer-left");
    assertEquals("disconnected", left.getString("reason"));
    assertEquals(0, left.getInteger("viewers"));
    assertEquals(0, h.listed("demo").getInteger("viewers"));
    assertEquals("Ann", h.watch(BOB, "demo", "Ann").getString("name"));
  }

  @Test
  @DisplayName("its broadcaster stops a channel: every member hears it ended and is free again")
  void stopByOwner() {
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    assertEquals(new JsonObject(), h.stop(HOST, "demo"));
    JsonObject ended =
        new JsonObject()
            .put("type", "channel-ended")
            .put("channel", "demo")
            .put("reason", "stopped");
    assertEquals(ended, h.only(ANN, "channel-ended"));
    assertEquals(List.of(), h.listedIds());
    assertEquals("waiting", h.watch(ANN, "demo", "Ann").getString("status"));
    assertDoesNotThrow(() -> h.broadcast(HOST, "again"));
  }

  @Test
  @DisplayName("nobody but its broadcaster can stop a channel")
  void stopByOthers() {
    h.broadcast(HOST, "demo");
    h.broadcast(RIVAL, "other");
    h.watch(ANN, "demo", "Ann");
    refused(ErrorCode.NOT_OWNER, () -> h.stop(ANN, "demo"));
    refused(ErrorCode.NOT_OWNER, () -> h.stop(RIVAL, "demo"));
    refused(ErrorCode.NOT_OWNER, () -> h.stop(STRANGER, "demo"));
    refused(ErrorCode.NOT_OWNER, () -> h.stop(HOST, "other"));
    refused(ErrorCode.INVALID_ID, () -> h.stop(HOST, "de mo"));
    assertTrue(h.mail(ANN, "channel-ended").isEmpty());
    assertEquals(List.of("demo", "other"), h.listedIds().stream().sorted().toList());
  }

  @Test
  @DisplayName("only a channel's broadcaster sends keep-alives")
  void keepaliveOnlyByBroadcaster() {
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    h.watch(BOB, "later", "Bob");
    assertEquals(new JsonObject(), h.keepalive(HOST));
    refused(ErrorCode.NOT_BROADCASTER, () -> h.keepalive(ANN));
    refused(ErrorCode.NOT_BROADCASTER, () -> h.keepalive(BOB));
    refused(ErrorCode.NOT_BROADCASTER, () -> h.keepalive(STRANGER));
  }

  @Test
  @DisplayName("a viewer who renames is known by its new name, and its broadcaster is told")
  void renameViewer() {
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    assertEquals(new JsonObject().put("name", "Annie"), h.rename(ANN, " Annie "));
    assertEquals(
        new JsonObject()
            .put("type", "viewer-renamed")
            .put("channel", "demo")
            .put("peerId", ANN)
            .put("name", "Annie"),
        h.only(HOST, "viewer-renamed"));
    h.chat(ANN, "hi");
    assertEquals("Annie", h.only(HOST, "chat").getJsonObject("from").getString("name"));
    assertEquals("Ann", h.watch(BOB, "demo", "Ann").getString("name"));
  }

  @Test
  @DisplayName("a rename to a name in use is refused; a change of case of one's own name is not")
  void renameRefused() {
    h.create(HOST, new JsonObject().put("id", "demo").put("name", "Kim"));
    h.watch(ANN, "demo", "Ann");
    h.watch(BOB, "demo", "Bob");
    refused(ErrorCode.NAME_TAKEN, () -> h.rename(BOB, "ann"));
    refused(ErrorCode.NAME_TAKEN, () -> h.rename(BOB, "KIM"));
    refused(ErrorCode.NAME_TAKEN, () -> h.rename(HOST, "bob"));
    refused(ErrorCode.INVALID_NAME, () -> h.rename(BOB, ""));
    refused(ErrorCode.INVALID_NAME, () -> h.rename(BOB, "Bob\u202E"));
    assertTrue(h.mail(HOST, "viewer-renamed").isEmpty());
    assertEquals("BOB", h.rename(BOB, "BOB").getString("name"));
    assertEquals("Kimberly", h.rename(HOST, "Kimberly").getString("name"));
    h.chat(HOST, "welcome");
    assertEquals("Kimberly", h.only(ANN, "chat").getJsonObject("from").getString("name"));
  }

  @Test
  @DisplayName("a name chosen before joining or creating is the one used there")
  void renameOutsideChannel() {
    h.rename(HOST, "Kim");
    h.rename(ANN, "Ann");
    assertEquals("Kim", h.broadcast(HOST, "demo").getString("name"));
    JsonObject joined = h.watch(ANN, "demo", null);
    assertEquals("Ann", joined.getString("name"));
    assertEquals("Kim", joined.getString("broadcaster"));
  }
}
