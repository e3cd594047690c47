package dev.airwave.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A broadcaster and two viewers that keep signaling (offer, answer, ICE) and chatting on a thread
 * of their own while a test attacks the service; {@link #assertEverythingArrived()} then proves
 * that no signal and no chat line was lost.
 */
public final class HonestBroadcast {
  private static final int MAX_ROUNDS = 200;

  /** Each member chats once a round: two rounds a second stay within the default chat rate. */
  private static final long ROUND_PAUSE_MS = 500;

  private final BridgeClient broadcaster;
  private final List<BridgeClient> viewers;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopping;
  private int rounds;

  private HonestBroadcast(BridgeClient broadcaster, List<BridgeClient> viewers) {
    this.broadcaster = broadcaster;
    this.viewers = viewers;
    this.thread = new Thread(this::run, "honest-broadcast");
  }

  /** Starts a broadcast on {@code channel} with viewers Ann and Bob, and its traffic. */
  public static HonestBroadcast start(Clients clients, String channel) {
    BridgeClient broadcaster = clients.broadcaster(channel);
    return start(
        broadcaster, List.of(clients.viewer(channel, "Ann"), clients.viewer(channel, "Bob")));
  }

  /**
   * The same, each member from a client address of its own behind a trusted proxy (203.0.113.1-3, a
   * documentation range), with a broadcast credential when one is given.
   */
  public static HonestBroadcast startFrom(Clients clients, String channel, String credential) {
    BridgeClient broadcaster = clients.readyFrom("203.0.113.1");
    JsonObject create = new JsonObject().put("id", channel);
    if (credential != null) {
      create.put("credential", credential);
    }
    broadcaster.request("airwave.channel.create", create);
    return start(
        broadcaster,
        List.of(
            clients.viewerFrom("203.0.113.2", channel, "Ann"),
            clients.viewerFrom("203.0.113.3", channel, "Bob")));
  }

  private static HonestBroadcast start(BridgeClient broadcaster, List<BridgeClient> viewers) {
    broadcaster.next("viewer-joined");
    broadcaster.next("viewer-joined");
    HonestBroadcast honest = new HonestBroadcast(broadcaster, viewers);
    honest.thread.start();
    return honest;
  }

  private void run() {
    try {
      do {
        round(rounds);
        rounds++;
        Thread.sleep(ROUND_PAUSE_MS);
      } while (!stopping && rounds < MAX_ROUNDS);
    } catch (Throwable e) {
      failure.set(e);
    }
  }

  private void round(int round) {
    for (BridgeClient viewer : viewers) {
      broadcaster.request("airwave.signal", Signals.offer(viewer.peerId(), "v=0 offer " + round));
      viewer.request("airwave.signal", Signals.answer(broadcaster.peerId(), "v=0 answer " + round));
      viewer.request("airwave.signal", Signals.ice(broadcaster.peerId(), "candidate:" + round));
      viewer.request("airwave.chat.send", new JsonObject().put("text", "line " + round));
    }
    broadcaster.request("airwave.chat.send", new JsonObject().put("text", "line " + round));
  }

  /** Stops the traffic and checks that every member received every message meant for it. */
  public void assertEverythingArrived() {
    stopping = true;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (failure.get() != null) {
      throw new AssertionError("the honest broadcast failed in round " + rounds, failure.get());
    }
    for (int round = 0; round < rounds; round++) {
      for (BridgeClient viewer : viewers) {
        assertEquals("v=0 offer " + round, sdp(viewer.next("offer")));
        assertEquals("v=0 answer " + round, sdp(broadcaster.next("answer")));
        assertEquals(viewer.peerId(), broadcaster.next("ice").getString("from"));
      }
    }
    List<BridgeClient> members = new ArrayList<>(viewers);
    members.add(broadcaster);
    for (BridgeClient member : members) {
      Set<String> lines = new HashSet<>();
      for (int i = 0; i < rounds * members.size(); i++) {
        JsonObject chat = member.next("chat");
        lines.add(chat.getJsonObject("from").getString("peerId") + " " + chat.getString("text"));
      }
      assertEquals(rounds * members.size(), lines.size(), "distinct chat lines");
    }
  }

  /** The number of complete rounds, to check that traffic really flowed during the attack. */
  public int rounds() {
    return rounds;
  }

  private static String sdp(JsonObject signal) {
    return signal.getJsonObject("description").getString("sdp");
  }
}
