package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Presence, viewer counts and the channel list")
class PresenceTest extends ServiceTest {
  @Override
  protected JsonObject settings() {
    return new JsonObject().put("listRefreshMs", 50);
  }

  @Test
  @DisplayName("the broadcaster learns of each viewer joining and leaving, with the count")
  void broadcasterSeesViewersComeAndGo() {
    BridgeClient broadcaster = clients.broadcaster("pres1");
    BridgeClient ann = clients.viewer("pres1", "Ann");
    JsonObject joined = broadcaster.next("viewer-joined");
    assertEquals("Ann", joined.getJsonObject("viewer").getString("name"));
    assertEquals(1, joined.getInteger("viewers"));
    clients.viewer("pres1", "Bob");
    assertEquals(2, broadcaster.next("viewer-joined").getInteger("viewers"));
    ann.request("airwave.channel.leave", new JsonObject());
    JsonObject left = broadcaster.next("viewer-left");
    assertEquals(ann.peerId(), left.getString("peerId"));
    assertEquals("left", left.getString("reason"));
    assertEquals(1, left.getInteger("viewers"));
  }

  @Test
  @DisplayName("every member receives the viewer count as it changes")
  void everyoneSeesTheCount() {
    BridgeClient broadcaster = clients.broadcaster("pres2");
    BridgeClient ann = clients.viewer("pres2", "Ann");
    clients.viewer("pres2", "Bob");
    assertEquals(2, lastCount(ann, 2));
    assertEquals(2, lastCount(broadcaster, 2));
  }

  @Test
  @DisplayName("the channel list is answered on request and published as it changes")
  void channelListIsLive() {
    BridgeClient watcher = clients.ready();
    watcher.register("airwave.channels");
    BridgeClient broadcaster = clients.ready();
    broadcaster.request(
        "airwave.channel.create", new JsonObject().put("id", "pres3").put("title", "Cooking"));
    JsonObject entry = awaitEntry(watcher, "pres3", 0);
    assertEquals("Cooking", entry.getString("title"));
    assertTrue(entry.getBoolean("live"));
    assertTrue(entry.getLong("startedAt") > 0);
    clients.viewer("pres3", "Ann");
    awaitEntry(watcher, "pres3", 1);
    JsonArray listed =
        watcher.request("airwave.channels.list", new JsonObject()).getJsonArray("channels");
    assertTrue(listed.stream().anyMatch(c -> "pres3".equals(((JsonObject) c).getString("id"))));
    broadcaster.request("airwave.channel.stop", new JsonObject().put("id", "pres3"));
    while (true) {
      JsonArray channels = watcher.nextChannelUpdate().getJsonArray("channels");
      if (channels.stream().noneMatch(c -> "pres3".equals(((JsonObject) c).getString("id")))) {
        break;
      }
    }
  }

  private static int lastCount(BridgeClient client, int wanted) {
    while (true) {
      int count = client.next("viewers").getInteger("viewers");
      if (count == wanted) {
        return count;
      }
    }
  }

  private static JsonObject awaitEntry(BridgeClient watcher, String id, int viewers) {
    while (true) {
      for (Object item : watcher.nextChannelUpdate().getJsonArray("channels")) {
        JsonObject channel = (JsonObject) item;
        if (id.equals(channel.getString("id")) && channel.getInteger("viewers") == viewers) {
          return channel;
        }
      }
    }
  }
}
