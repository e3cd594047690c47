package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.Clients;
import dev.airwave.testing.HonestBroadcast;
import dev.airwave.testing.ServiceTest;
import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("No one client address can take the service: quotas with the shipped defaults")
class QuotasTest extends ServiceTest {
  private static final String ATTACKER = "198.51.100.66";

  @Override
  protected JsonObject settings() {
    return ServiceUnderTest.SHIPPED_QUOTAS
        .copy()
        .put("trustedProxies", new JsonArray().add("127.0.0.1"));
  }

  private static JsonObject id(String id) {
    return new JsonObject().put("id", id);
  }

  @Test
  @DisplayName("one address gets 64 sockets, the next is told too_many_sockets and closed")
  void socketsPerAddress() {
    HonestBroadcast honest = HonestBroadcast.startFrom(clients, "honest-sockets", null);
    List<BridgeClient> held = new ArrayList<>();
    for (int i = 0; i < 63; i++) {
      held.add(clients.rawFrom(ATTACKER));
    }
    BridgeClient last = clients.readyFrom(ATTACKER);
    BridgeClient over = clients.rawFrom(ATTACKER);
    assertEquals("too_many_sockets", over.nextBridgeError());
    over.awaitClose();
    last.sync();
    held.get(0).close();
    clients.readyFrom(ATTACKER).sync();
    honest.assertEverythingArrived();
  }

  @Test
  @DisplayName("one address starts 5 channels, the sixth is too_many_channels; stopping frees one")
  void channelsPerAddress() {
    HonestBroadcast honest = HonestBroadcast.startFrom(clients, "honest-channels", null);
    List<BridgeClient> squatters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      squatters.add(clients.broadcasterFrom(ATTACKER, "squat" + i));
    }
    BridgeClient sixth = clients.readyFrom(ATTACKER);
    sixth.refusal("airwave.channel.create", id("squat5")).assertCode("too_many_channels");
    sixth.refusal("airwave.channel.create", new JsonObject()).assertCode("too_many_channels");
    clients.broadcasterFrom("203.0.113.50", "another-honest");
    squatters.get(0).request("airwave.channel.stop", id("squat0"));
    sixth.request("airwave.channel.create", id("squat5"));
    honest.assertEverythingArrived();
  }

  @Test
  @DisplayName("one address holds 5 places in a channel, the sixth is too_many_places")
  void placesPerChannelPerAddress() {
    HonestBroadcast honest = HonestBroadcast.startFrom(clients, "honest-places", null);
    for (int i = 0; i < 5; i++) {
      clients.viewerFrom(ATTACKER, "honest-places", "Bot " + i);
    }
    BridgeClient sixth = clients.readyFrom(ATTACKER);
    sixth.refusal("airwave.channel.join", id("honest-places")).assertCode("too_many_places");
    clients.viewerFrom("203.0.113.51", "honest-places", "Cy");
    honest.assertEverythingArrived();
  }

  @Test
  @DisplayName("one address waits on 5 ids not started, a sixth id is too_many_waiting")
  void waitingIdsPerAddress() {
    HonestBroadcast honest = HonestBroadcast.startFrom(clients, "honest-waiting", null);
    for (int i = 0; i < 5; i++) {
      JsonObject reply =
          clients.readyFrom(ATTACKER).request("airwave.channel.join", id("future" + i));
      assertEquals("waiting", reply.getString("status"));
    }
    BridgeClient sixth = clients.readyFrom(ATTACKER);
    sixth.refusal("airwave.channel.join", id("future5")).assertCode("too_many_waiting");
    clients.readyFrom(ATTACKER).request("airwave.channel.join", id("future0"));
    for (int i = 0; i < 4; i++) {
      clients.readyFrom(ATTACKER).request("airwave.channel.join", id("future1"));
    }
    sixth.refusal("airwave.channel.join", id("future1")).assertCode("too_many_places");
    BridgeClient honestWaiter = clients.readyFrom("203.0.113.52");
    assertEquals(
        "waiting", honestWaiter.request("airwave.channel.join", id("future1")).getString("status"));
    BridgeClient host = clients.broadcasterFrom("203.0.113.53", "future1");
    assertEquals(
        "future1", honestWaiter.next("channel-live").getJsonObject("channel").getString("id"));
    for (int i = 0; i < 6; i++) {
      host.next("viewer-joined");
    }
    honest.assertEverythingArrived();
  }

  @Test
  @DisplayName("a waiter squatting the broadcaster's name gives way: the page's own create works")
  void broadcasterNameWins() {
    BridgeClient squatter = clients.readyFrom(ATTACKER);
    squatter.request("airwave.channel.join", id("named").put("name", "Broadcaster"));
    BridgeClient host = clients.readyFrom("203.0.113.54");
    JsonObject created = host.request("airwave.channel.create", id("named"));
    assertEquals("Broadcaster", created.getString("name"));
    JsonObject live = squatter.next("channel-live");
    assertTrue(live.getString("name").startsWith("Viewer "), live::encode);
    JsonObject joined = host.next("viewer-joined");
    assertEquals(live.getString("name"), joined.getJsonObject("viewer").getString("name"));
    squatter
        .refusal("airwave.profile.name", new JsonObject().put("name", "ＢＲＯＡＤＣＡＳＴＥＲ"))
        .assertCode("name_taken");
  }

  @Test
  @DisplayName("waiters past the broadcaster's chosen cap are told channel-full when it starts")
  void overflowingWaitersAreTold() {
    List<BridgeClient> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      BridgeClient waiter = clients.readyFrom("203.0.113." + (60 + i));
      waiter.request("airwave.channel.join", id("capped").put("name", "W" + i));
      waiters.add(waiter);
    }
    BridgeClient host = clients.readyFrom("203.0.113.59");
    JsonObject created = host.request("airwave.channel.create", id("capped").put("maxViewers", 2));
    assertEquals(2, created.getJsonArray("viewers").size());
    assertEquals(2, created.getJsonObject("channel").getInteger("maxViewers"));
    waiters.get(0).next("channel-live");
    waiters.get(1).next("channel-live");
    JsonObject full = waiters.get(2).next("channel-full");
    assertEquals(2, full.getInteger("maxViewers"));
    waiters.get(2).expectNo("channel-live", java.time.Duration.ofMillis(300));
    waiters
        .get(2)
        .refusal("airwave.chat.send", new JsonObject().put("text", "hi"))
        .assertCode("not_member");
    waiters.get(2).refusal("airwave.channel.join", id("capped")).assertCode("channel_full");
    host.refusal("airwave.channel.create", new JsonObject().put("maxViewers", 26))
        .assertCode("already_in_channel");
    clients
        .readyFrom("203.0.113.58")
        .refusal("airwave.channel.create", new JsonObject().put("maxViewers", 26))
        .assertCode("bad_request");
  }

  @Test
  @DisplayName("IPv6 clients count by their /64: rotating the low bits gains nothing")
  void ipv6CountsByPrefix() {
    for (int i = 1; i <= 5; i++) {
      clients.broadcasterFrom("2001:db8:7:7::" + i, "six" + i);
    }
    clients
        .readyFrom("2001:db8:7:7:ffff::9")
        .refusal("airwave.channel.create", id("six6"))
        .assertCode("too_many_channels");
    clients.broadcasterFrom("2001:db8:7:8::1", "six7");
  }

  @Test
  @DisplayName("the waiting room is bounded for the whole service: waiting_full")
  void waitingRoomIsBoundedInTotal() {
    JsonObject small = settings().put("maxWaitingIds", 3).put("maxWaitingViewers", 4);
    try (ServiceUnderTest service = ServiceUnderTest.start(small);
        Clients mine = new Clients(service)) {
      for (int i = 0; i < 3; i++) {
        mine.readyFrom("203.0.113." + (70 + i)).request("airwave.channel.join", id("w" + i));
      }
      mine.readyFrom("203.0.113.80")
          .refusal("airwave.channel.join", id("w3"))
          .assertCode("waiting_full");
      mine.readyFrom("203.0.113.81").request("airwave.channel.join", id("w0"));
      mine.readyFrom("203.0.113.82")
          .refusal("airwave.channel.join", id("w1"))
          .assertCode("waiting_full");
      mine.broadcasterFrom("203.0.113.83", "w0");
      mine.readyFrom("203.0.113.82").request("airwave.channel.join", id("w1"));
    }
  }

  @Test
  @DisplayName("without trustedProxies a forged X-Forwarded-For is ignored: one address it stays")
  void forgedForwardingIsIgnored() {
    JsonObject untrusted = ServiceUnderTest.SHIPPED_QUOTAS.copy();
    try (ServiceUnderTest service = ServiceUnderTest.start(untrusted);
        Clients mine = new Clients(service)) {
      for (int i = 0; i < 5; i++) {
        mine.broadcasterFrom("198.51.100." + i, "forged" + i);
      }
      mine.readyFrom("198.51.100.99")
          .refusal("airwave.channel.create", id("forged5"))
          .assertCode("too_many_channels");
    }
  }
}
