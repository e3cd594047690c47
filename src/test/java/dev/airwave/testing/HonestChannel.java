package dev.airwave.testing;

import static dev.airwave.testing.Signals.answer;
import static dev.airwave.testing.Signals.ice;
import static dev.airwave.testing.Signals.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An honest broadcaster with two viewers, each from an address of its own (through a trusted
 * proxy), that exchange offers, answers, ICE candidates and chat while an attack goes on, and check
 * that every one of them arrives intact.
 */
public final class HonestChannel {
  private final String id;
  private final BridgeClient broadcaster;
  private final List<BridgeClient> viewers;

  private HonestChannel(String id, BridgeClient broadcaster, List<BridgeClient> viewers) {
    this.id = id;
    this.broadcaster = broadcaster;
    this.viewers = viewers;
  }

  /** Opens the channel; the addresses are 203.0.113.1-3 (documentation range, never reached). */
  public static HonestChannel open(Clients clients, String id) {
    return open(clients, id, null);
  }

  /** Opens the channel with this broadcast credential (null: none). */
  public static HonestChannel open(Clients clients, String id, String credential) {
    BridgeClient broadcaster = clients.readyFrom("203.0.113.1");
    JsonObject create = new JsonObject().put("id", id);
    if (credential != null) {
      create.put("credential", credential);
    }
    broadcaster.request("airwave.channel.create", create);
    BridgeClient ann = clients.viewerFrom("203.0.113.2", id, "Ann");
    BridgeClient bob = clients.viewerFrom("203.0.113.3", id, "Bob");
    broadcaster.next("viewer-joined");
    broadcaster.next("viewer-joined");
    return new HonestChannel(id, broadcaster, List.of(ann, bob));
  }

  /** One round: an offer, answer and candidates with each viewer, and a line from each member. */
  public void exchange(int round) {
    for (BridgeClient viewer : viewers) {
      broadcaster.request("airwave.signal", offer(viewer.peerId(), "v=0 offer " + round));
      assertEquals(
          "v=0 offer " + round, viewer.next("offer").getJsonObject("description").getString("sdp"));
      viewer.request("airwave.signal", answer(broadcaster.peerId(), "v=0 answer " + round));
      assertEquals(
          "v=0 answer " + round,
          broadcaster.next("answer").getJsonObject("description").getString("sdp"));
      viewer.request("airwave.signal", ice(broadcaster.peerId(), "candidate:" + round));
      assertEquals(
          "candidate:" + round,
          broadcaster.next("ice").getJsonObject("candidate").getString("candidate"));
      broadcaster.request("airwave.signal", ice(viewer.peerId(), "candidate:" + round));
      assertEquals(
          "candidate:" + round,
          viewer.next("ice").getJsonObject("candidate").getString("candidate"));
    }
    for (BridgeClient speaker : members()) {
      String line = "round " + round + " from " + speaker.peerId();
      speaker.request("airwave.chat.send", new JsonObject().put("text", line));
      for (BridgeClient member : members()) {
        JsonObject chat = member.next("chat");
        assertEquals(line, chat.getString("text"));
        assertEquals(speaker.peerId(), chat.getJsonObject("from").getString("peerId"));
        assertEquals(id, chat.getString("channel"));
      }
    }
  }

  /** Runs rounds on another thread, so that they overlap whatever the test does meanwhile. */
  public CompletableFuture<Void> exchangeMeanwhile(int rounds) {
    return CompletableFuture.runAsync(
        () -> {
          for (int round = 1; round <= rounds; round++) {
            exchange(round);
          }
        });
  }

  /** Waits for rounds started with {@link #exchangeMeanwhile}; their failures fail the test. */
  public static void await(CompletableFuture<Void> rounds) {
    try {
      rounds.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the honest channel lost a message", e);
    }
  }

  private List<BridgeClient> members() {
    return List.of(broadcaster, viewers.get(0), viewers.get(1));
  }
}
