package dev.airwave.registry;

import static dev.airwave.registry.RegistryTest.ANN;
import static dev.airwave.registry.RegistryTest.BOB;
import static dev.airwave.registry.RegistryTest.HOST;
import static dev.airwave.registry.RegistryTest.RIVAL;
import static dev.airwave.registry.RegistryTest.refused;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.registry.RegistryTest.Harness;
import dev.airwave.registry.RegistryTest.Scheduled;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A broadcaster's grace period, and the eviction of idle channels")
class RegistryGraceAndEvictionTest {
  private static final String NEW_SOCKET = "p3gK8MmEMVP-DBRdBZi7aA";
  private static final String[] LATECOMERS = {
    "8-r1pu2ElxwXjOAX87j51Q",
    "H4KOkFu5O97EAldDXThaCQ",
    "rnDksg2QRWD-CQ-lVYuRvw",
    "HuAfW0lixe7g_807-35mLw",
    "YlvsDFRvcVGb7pFdWFCtxQ"
  };

  private final Harness h = new Harness();
  private String token;

  private void liveWithTwoViewers() {
    token =
        h.create(HOST, new JsonObject().put("id", "demo").put("name", "Kim"))
            .getString("resumeToken");
    h.watch(ANN, "demo", "Ann");
    h.watch(BOB, "demo", "Bob");
    h.forget();
  }

  @Test
  @DisplayName("when its broadcaster drops, viewers hear it is away and the channel waits")
  void broadcasterDisconnects() {
    liveWithTwoViewers();
    h.disconnect(HOST);
    JsonObject away =
        new JsonObject()
            .put("type", "broadcaster-away")
            .put("channel", "demo")
            .put("graceSeconds", 30);
    assertEquals(away, h.only(ANN, "broadcaster-away"));
    assertEquals(away, h.only(BOB, "broadcaster-away"));
    Scheduled grace = h.timers.values().iterator().next();
    assertEquals(1, h.timers.size());
    assertEquals(30_000L, grace.delayMs());
    assertFalse(h.listed("demo").getBoolean("live"));
    assertEquals(2, h.listed("demo").getInteger("viewers"));
    assertDoesNotThrow(() -> h.chat(ANN, "is it frozen?"));
    assertEquals(1, h.mail(BOB, "chat").size());
  }

  @Test
  @DisplayName("the broadcaster takes its channel back with the token and offers to everyone again")
  void resumeWithinGrace() {
    liveWithTwoViewers();
    h.disconnect(HOST);
    h.now += 10_000;
    JsonObject reply = h.resume(NEW_SOCKET, "demo", token);
    assertEquals(token, reply.getString("resumeToken"));
    assertEquals("Kim", reply.getString("name"));
    assertTrue(reply.getJsonObject("channel").getBoolean("live"));
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("peerId", ANN).put("name", "Ann"))
            .add(new JsonObject().put("peerId", BOB).put("name", "Bob")),
        reply.getJsonArray("viewers"));
    for (String viewer : List.of(ANN, BOB)) {
      JsonObject live = h.only(viewer, "channel-live");
      assertEquals("Kim", live.getString("broadcaster"));
      assertTrue(live.getJsonObject("channel").getBoolean("live"));
    }
    List<String> offeredTo =
        h.mail(NEW_SOCKET, "viewer-joined").stream()
            .map(m -> m.getJsonObject("viewer").getString("peerId"))
            .toList();
    assertEquals(List.of(ANN, BOB), offeredTo);
    assertTrue(h.timers.isEmpty(), "the grace timer is cancelled");
    assertTrue(h.listed("demo").getBoolean("live"));
    assertDoesNotThrow(() -> h.keepalive(NEW_SOCKET));
    assertDoesNotThrow(() -> h.signal(NEW_SOCKET, RelayTest.offer(ANN, "v=0")));
  }

  @Test
  @DisplayName("a wrong token, or a channel whose broadcaster is still there, cannot be resumed")
  void resumeRefused() {
    liveWithTwoViewers();
    refused(ErrorCode.BROADCASTER_PRESENT, () -> h.resume(NEW_SOCKET, "demo", token));
    refused(ErrorCode.BAD_TOKEN, () -> h.resume(NEW_SOCKET, "demo", "wrong"));
    h.disconnect(HOST);
    refused(
        ErrorCode.BAD_TOKEN,
        () -> h.resume(NEW_SOCKET, "demo", "ResumeToken000000000000000000002"));
    refused(ErrorCode.BAD_TOKEN, () -> h.resume(NEW_SOCKET, "demo", ""));
    refused(ErrorCode.NO_SUCH_CHANNEL, () -> h.resume(NEW_SOCKET, "nothing", token));
    refused(ErrorCode.ALREADY_IN_CHANNEL, () -> h.resume(ANN, "demo", token));
    assertTrue(h.mail(ANN, "channel-live").isEmpty());
    assertFalse(h.listed("demo").getBoolean("live"));
    assertEquals(1, h.timers.size());
  }

  @Test
  @DisplayName("when the grace period runs out the channel ends for its viewers")
  void graceRunsOut() {
    liveWithTwoViewers();
    h.disconnect(HOST);
    h.now += 30_000;
    h.runTimers();
    JsonObject ended =
        new JsonObject()
            .put("type", "channel-ended")
            .put("channel", "demo")
            .put("reason", "broadcaster-gone");
    assertEquals(ended, h.only(ANN, "channel-ended"));
    assertEquals(ended, h.only(BOB, "channel-ended"));
    assertEquals(List.of(), h.listedIds());
    refused(ErrorCode.NO_SUCH_CHANNEL, () -> h.resume(NEW_SOCKET, "demo", token));
    assertEquals("waiting", h.watch(ANN, "next", "Ann").getString("status"));
  }

  @Test
  @DisplayName("with no grace period the channel ends as soon as its broadcaster drops")
  void noGrace() {
    Harness strict = new Harness(new JsonObject().put("graceSeconds", 0));
    strict.broadcast(HOST, "demo");
    strict.watch(ANN, "demo", "Ann");
    strict.disconnect(HOST);
    assertEquals("broadcaster-gone", strict.only(ANN, "channel-ended").getString("reason"));
    assertTrue(strict.mail(ANN, "broadcaster-away").isEmpty());
    assertTrue(strict.timers.isEmpty());
    assertEquals(List.of(), strict.listedIds());
  }

  @Test
  @DisplayName("a viewer joining during the grace period waits and is welcomed on resume")
  void joinDuringGrace() {
    liveWithTwoViewers();
    h.disconnect(HOST);
    JsonObject reply = h.watch(LATECOMERS[0], "demo", "Cy");
    assertEquals("waiting", reply.getString("status"));
    assertEquals("demo", reply.getJsonObject("channel").getString("id"));
    refused(ErrorCode.CHANNEL_TAKEN, () -> h.broadcast(RIVAL, "demo"));
    h.resume(NEW_SOCKET, "demo", token);
    assertEquals(1, h.mail(LATECOMERS[0], "channel-live").size());
    assertEquals(3, h.mail(NEW_SOCKET, "viewer-joined").size());
  }

  @Test
  @DisplayName("a channel with no activity past the idle timeout is evicted, telling every member")
  void idleChannelIsEvicted() {
    Harness h = idleAfterAMinute();
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    h.now += 59_000;
    h.registry.sweep();
    assertEquals(List.of("demo"), h.listedIds());
    h.now += 2_000;
    h.registry.sweep();
    JsonObject ended =
        new JsonObject().put("type", "channel-ended").put("channel", "demo").put("reason", "idle");
    assertEquals(ended, h.only(HOST, "channel-ended"));
    assertEquals(ended, h.only(ANN, "channel-ended"));
    assertEquals(List.of(), h.listedIds());
    h.registry.sweep();
    assertEquals(1, h.mail(ANN, "channel-ended").size(), "ended only once");
    assertDoesNotThrow(() -> h.broadcast(HOST, "demo"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"keepalive", "chat", "signal", "join"})
  @DisplayName("activity keeps a channel alive well past the idle timeout")
  void activityKeepsChannelAlive(String activity) {
    Harness h = idleAfterAMinute();
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    for (int step = 0; step < 5; step++) {
      h.now += 40_000;
      switch (activity) {
        case "keepalive" -> h.keepalive(HOST);
        case "chat" -> h.chat(ANN, "still watching");
        case "signal" -> h.signal(HOST, RelayTest.offer(ANN, "v=0 step " + step));
        default -> h.watch(LATECOMERS[step], "demo", null);
      }
      h.registry.sweep();
    }
    assertEquals(List.of("demo"), h.listedIds());
    assertTrue(h.mail(ANN, "channel-ended").isEmpty());
  }

  @Test
  @DisplayName("a rename or a look at the list is no activity: the channel still idles out")
  void passiveRequestsDoNotKeepAlive() {
    Harness h = idleAfterAMinute();
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    for (int step = 0; step < 2; step++) {
      h.now += 40_000;
      h.rename(ANN, "Ann " + step);
      h.list(ANN);
      h.registry.sweep();
    }
    assertEquals("idle", h.only(ANN, "channel-ended").getString("reason"));
  }

  @Test
  @DisplayName("a channel created under the id of one that idled out survives the old one's end")
  void newChannelSurvivesEvictionOfIdledOutNamesake() {
    Harness h = idleAfterAMinute();
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    h.now += 61_000;
    h.broadcast(RIVAL, "demo");
    assertEquals("idle", h.only(ANN, "channel-ended").getString("reason"));
    assertTrue(h.mail(RIVAL, "channel-ended").isEmpty());
    assertEquals(List.of("demo"), h.listedIds());
    assertDoesNotThrow(() -> h.keepalive(RIVAL));
    assertEquals("live", h.watch(BOB, "demo", "Bob").getString("status"));
  }

  @Test
  @DisplayName("a broadcaster who comes back after its channel ended is told why it ended")
  void lateResumeSaysWhy() {
    Harness h = idleAfterAMinute();
    String demoToken =
        h.create(HOST, new JsonObject().put("id", "demo").put("title", "Quiz night"))
            .getString("resumeToken");
    h.disconnect(HOST);
    h.runTimers();
    ProtocolException gone =
        assertThrows(ProtocolException.class, () -> h.resume(NEW_SOCKET, "demo", demoToken));
    assertEquals(ErrorCode.NO_SUCH_CHANNEL, gone.code());
    assertEquals(
        "Channel \u201cQuiz night\u201d ended: its broadcaster did not come back within 30 s.",
        gone.getMessage());

    String idleToken = h.broadcast(HOST, "idle").getString("resumeToken");
    h.disconnect(HOST);
    h.now += 61_000;
    h.registry.sweep();
    ProtocolException idle =
        assertThrows(ProtocolException.class, () -> h.resume(NEW_SOCKET, "idle", idleToken));
    assertEquals("Channel idle was closed after 1 min without activity.", idle.getMessage());

    refused(ErrorCode.NO_SUCH_CHANNEL, () -> h.resume(NEW_SOCKET, "never", idleToken));
  }

  private static Harness idleAfterAMinute() {
    return new Harness(new JsonObject().put("idleTimeoutSeconds", 60));
  }
}
