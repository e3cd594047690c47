package dev.airwave.registry;

import static dev.airwave.testing.Signals.ice;
import static dev.airwave.testing.Signals.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Limits")
class LimitsTest extends ServiceTest {
  @Override
  protected JsonObject settings() {
    return new JsonObject()
        .put("maxChannels", 3)
        .put("graceSeconds", 0)
        .put("maxViewersPerChannel", 2)
        .put("maxSdpBytes", 2048)
        .put("maxCandidateBytes", 256)
        .put("chatBurst", 3)
        .put("chatPerSecond", 0.5)
        .put("signalBurst", 5)
        .put("signalPerSecond", 1.0);
  }

  @Test
  @DisplayName("beyond the channel cap a new channel is refused and every live one keeps going")
  void channelCap() {
    BridgeClient a = clients.broadcaster("cap1");
    BridgeClient b = clients.broadcaster("cap2");
    BridgeClient c = clients.broadcaster("cap3");
    BridgeClient refused = clients.ready();
    refused
        .refusal("airwave.channel.create", new JsonObject().put("id", "cap4"))
        .assertCode("channels_full");
    assertEquals(503, refused.refusal("airwave.channel.create", new JsonObject()).status());
    for (BridgeClient live : new BridgeClient[] {a, b, c}) {
      live.request("airwave.channel.keepalive", new JsonObject());
    }
    assertEquals(
        3,
        refused.request("airwave.channels.list", new JsonObject()).getJsonArray("channels").size());
    a.request("airwave.channel.stop", new JsonObject().put("id", "cap1"));
    refused.request("airwave.channel.create", new JsonObject().put("id", "cap4"));
    for (BridgeClient live : new BridgeClient[] {b, c, refused}) {
      live.request(
          "airwave.channel.stop",
          new JsonObject().put("id", live == refused ? "cap4" : live == b ? "cap2" : "cap3"));
    }
  }

  @Test
  @DisplayName("beyond the viewer cap a join is refused with channel_full")
  void viewerCap() {
    BridgeClient broadcaster = clients.broadcaster("vcap");
    clients.viewer("vcap", "Ann");
    BridgeClient bob = clients.viewer("vcap", "Bob");
    clients
        .ready()
        .refusal("airwave.channel.join", new JsonObject().put("id", "vcap"))
        .assertCode("channel_full");
    bob.request("airwave.channel.leave", new JsonObject());
    clients.viewer("vcap", "Cy");
    broadcaster.request("airwave.channel.stop", new JsonObject().put("id", "vcap"));
  }

  @Test
  @DisplayName("an oversized SDP or candidate is refused with too_large and not relayed")
  void messageSizes() {
    BridgeClient broadcaster = clients.broadcaster("size");
    BridgeClient ann = clients.viewer("size", "Ann");
    broadcaster
        .refusal("airwave.signal", offer(ann.peerId(), "v".repeat(2049)))
        .assertCode("too_large");
    broadcaster.request("airwave.signal", offer(ann.peerId(), "v".repeat(2048)));
    ann.next("offer");
    broadcaster
        .refusal("airwave.signal", ice(ann.peerId(), "c".repeat(300)))
        .assertCode("too_large");
    broadcaster.request("airwave.channel.stop", new JsonObject().put("id", "size"));
  }

  @Test
  @DisplayName("chat and signaling are rate limited per socket, without slowing others")
  void rateLimits() {
    BridgeClient broadcaster = clients.broadcaster("rate");
    BridgeClient ann = clients.viewer("rate", "Ann");
    for (int i = 0; i < 3; i++) {
      ann.request("airwave.chat.send", new JsonObject().put("text", "spam " + i));
    }
    BridgeClient.Refused limited =
        ann.refusal("airwave.chat.send", new JsonObject().put("text", "more"));
    limited.assertCode("rate_limited");
    assertEquals(429, limited.status());
    broadcaster.request("airwave.chat.send", new JsonObject().put("text", "host is fine"));
    for (int i = 0; i < 5; i++) {
      ann.request("airwave.signal", ice(broadcaster.peerId(), "candidate:" + i));
    }
    ann.refusal("airwave.signal", ice(broadcaster.peerId(), "candidate:6"))
        .assertCode("rate_limited");
    broadcaster.request("airwave.signal", ice(ann.peerId(), "candidate:1"));
    broadcaster.request("airwave.channel.stop", new JsonObject().put("id", "rate"));
  }

  @Test
  @DisplayName("one socket holds one live channel, and a chosen id in use is refused")
  void oneChannelPerSocketAndUniqueIds() {
    BridgeClient broadcaster = clients.broadcaster("own");
    broadcaster
        .refusal("airwave.channel.create", new JsonObject().put("id", "own2"))
        .assertCode("already_in_channel");
    broadcaster
        .refusal("airwave.channel.join", new JsonObject().put("id", "own"))
        .assertCode("already_in_channel");
    BridgeClient other = clients.ready();
    BridgeClient.Refused taken =
        other.refusal("airwave.channel.create", new JsonObject().put("id", "own"));
    taken.assertCode("channel_taken");
    assertEquals(409, taken.status());
    for (String bad : new String[] {"", "has space", "x".repeat(21), "ünï", "a/b"}) {
      other
          .refusal("airwave.channel.create", new JsonObject().put("id", bad))
          .assertCode("invalid_id");
    }
    broadcaster.request("airwave.channel.stop", new JsonObject().put("id", "own"));
  }

  @Test
  @DisplayName("display names are 1-32 characters and unique within a channel, ignoring case")
  void displayNames() {
    BridgeClient broadcaster = clients.broadcaster("names");
    clients.viewer("names", "Ann");
    BridgeClient other = clients.ready();
    other
        .refusal("airwave.channel.join", new JsonObject().put("id", "names").put("name", "ANN"))
        .assertCode("name_taken");
    other
        .refusal(
            "airwave.channel.join", new JsonObject().put("id", "names").put("name", "x".repeat(33)))
        .assertCode("invalid_name");
    other
        .refusal("airwave.channel.join", new JsonObject().put("id", "names").put("name", " "))
        .assertCode("invalid_name");
    JsonObject joined = other.request("airwave.channel.join", new JsonObject().put("id", "names"));
    assertEquals("Viewer 1", joined.getString("name"));
    other
        .refusal("airwave.profile.name", new JsonObject().put("name", "ann"))
        .assertCode("name_taken");
    other.request("airwave.profile.name", new JsonObject().put("name", "Zoe"));
    JsonObject renamed = broadcaster.next("viewer-renamed");
    assertEquals("Zoe", renamed.getString("name"));
    broadcaster.request("airwave.channel.stop", new JsonObject().put("id", "names"));
  }
}
