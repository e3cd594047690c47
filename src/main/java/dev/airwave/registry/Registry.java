package dev.airwave.registry;

import dev.airwave.bus.Addresses;
import dev.airwave.config.AppConfig;
import dev.airwave.registry.Peer.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The channel registry's rules, free of Vert.x: who broadcasts and watches what, and what each
 * member is told when that changes. One entry point per request; every method runs on one thread.
 */
public final class Registry {
  private static final Set<String> NO_FIELDS = Set.of();

  private final Roster roster;
  private final Broadcasts broadcasts;
  private final Audience audience;
  private final Relay relay;
  private final RelayTrees trees;
  private final IceServers iceServers;

  public Registry(
      AppConfig config,
      ChannelStore store,
      Mailer mailer,
      Timers timers,
      Ids ids,
      LongSupplier clock) {
    this(config, store, mailer, timers, ids, clock, true, WaitingElsewhere.NONE);
  }

  /**
   * A registry that charges rate budgets itself when {@code metered}, or trusts that the edge in
   * front of it already did (every request then reaches it charged once, wherever it came from),
   * and counts in the waiting quotas what waits on the other nodes of a cluster.
   */
  public Registry(
      AppConfig config,
      ChannelStore store,
      Mailer mailer,
      Timers timers,
      Ids ids,
      LongSupplier clock,
      boolean metered,
      WaitingElsewhere elsewhere) {
    this.roster = new Roster(config, store, mailer, clock, metered, elsewhere);
    this.trees = new RelayTrees(roster);
    this.broadcasts = new Broadcasts(roster, timers, ids, trees);
    this.audience = new Audience(roster, trees);
    this.relay = new Relay(roster);
    this.iceServers = new IceServers(config);
  }

  /** Notes the client address the edge stamped on a peer's request; the first one sticks. */
  public void identify(String peerId, String client) {
    roster.peer(peerId, client);
  }

  public JsonObject hello(String peerId) {
    roster.admit(peerId);
    AppConfig config = roster.config;
    JsonObject hello =
        new JsonObject()
            .put("peerId", peerId)
            .put("inbox", Addresses.inbox(peerId))
            .put("keepaliveMs", config.keepaliveMs())
            .put("iceServers", iceServers.forPeer(peerId, roster.clock.getAsLong()))
            .put("iceTransportPolicy", config.iceTransportPolicy())
            .put("iceTtlSeconds", iceServers.ttlSeconds())
            .put("broadcastCredential", !config.broadcastSecret().isEmpty())
            .put("limits", limits(config));
    if (config.pageDebug()) {
      hello.put("debug", true); // the pages install their test hook, window.airwaveDebug
    }
    return hello;
  }

  public JsonObject list(String peerId, Object body) {
    roster.admit(peerId);
    Fields.of(body, NO_FIELDS);
    return list();
  }

  /** The started channels, newest first, with the server's clock so pages can show durations. */
  public JsonObject list() {
    return new JsonObject().put("channels", channels()).put("now", roster.clock.getAsLong());
  }

  public JsonObject create(String peerId, Object body) {
    return create(peerId, body, Grant.OPEN);
  }

  /** Starts a channel as far as the broadcast credential's grant allows. */
  public JsonObject create(String peerId, Object body, Grant grant) {
    return broadcasts.create(peerId, body, grant);
  }

  public JsonObject resume(String peerId, Object body) {
    return broadcasts.resume(peerId, body);
  }

  public JsonObject stop(String peerId, Object body) {
    return broadcasts.stop(peerId, body);
  }

  public JsonObject keepalive(String peerId, Object body) {
    return broadcasts.keepalive(peerId, body);
  }

  public JsonObject join(String peerId, Object body) {
    return audience.join(peerId, body);
  }

  public JsonObject leave(String peerId, Object body) {
    return audience.leave(peerId, body);
  }

  public JsonObject rename(String peerId, Object body) {
    return audience.rename(peerId, body);
  }

  public JsonObject signal(String peerId, Object body) {
    return relay.signal(roster.peer(peerId), body);
  }

  public JsonObject chat(String peerId, Object body) {
    return relay.chat(roster.peer(peerId), body);
  }

  /** A viewer of a relaying channel says whether it can pass the stream on now. */
  public JsonObject relayAble(String peerId, Object body) {
    return trees.able(roster.admit(peerId), body);
  }

  /** A viewer of a relaying channel says its feeder stopped; it moves to another. */
  public JsonObject relayStalled(String peerId, Object body) {
    return trees.stalled(roster.admit(peerId), body);
  }

  /** The socket of this peer closed: free its place, or start its channel's grace period. */
  public void disconnect(String peerId) {
    Peer peer = roster.forget(peerId);
    if (peer == null || peer.role == Role.NONE) {
      return;
    }
    if (peer.role == Role.VIEWER) {
      audience.remove(peer, "disconnected");
    } else {
      broadcasts.away(peer);
    }
  }

  /** What waits here, for the other nodes' waiting quotas (see {@link WaitingElsewhere}). */
  public JsonObject waiting() {
    return roster.waitingSummary();
  }

  /** Whether a channel is started under this id. */
  public boolean isStarted(String id) {
    return roster.store.find(id) != null;
  }

  /** Whether anything lives here under this id: a started channel or viewers waiting for one. */
  public boolean holds(String id) {
    return isStarted(id) || roster.isWaiting(id);
  }

  /** Refuses a peer that is in a channel here already (it may be in only one at a time). */
  public void requireFree(String peerId) {
    Peer peer = roster.find(peerId);
    if (peer != null) {
      roster.requireFree(peer);
    }
  }

  /** Ends every channel that has been idle past the timeout; returns how many. */
  public int sweep() {
    return evict(roster.store.expired());
  }

  /** Ends channels that expired while other calls looked them up; returns how many. */
  public int settle() {
    return evict(roster.store.drainExpired());
  }

  private int evict(List<Channel> expired) {
    expired.forEach(broadcasts::evicted);
    return expired.size();
  }

  public void shutdown() {
    endAll("shutdown");
  }

  /** Ends every channel here, started or waiting, telling each member the reason. */
  public void endAll(String reason) {
    broadcasts.endAll(reason);
  }

  /** Sends each changed channel's viewer count to its members. */
  public void flushCounts() {
    for (String id : roster.drainCountChanges()) {
      Channel channel = roster.store.find(id);
      if (channel != null) {
        JsonObject count = Events.of("viewers", channel).put("viewers", channel.viewerCount());
        channel.members().forEach(member -> roster.mailer.send(member, count));
      }
    }
  }

  public JsonArray channels() {
    JsonArray list = new JsonArray();
    roster.store.all().stream()
        .sorted(Comparator.comparingLong(Channel::startedAt).reversed())
        .forEach(channel -> list.add(channel.summary()));
    return list;
  }

  /** Figures for health and metrics; linear in the number of peers. */
  public JsonObject status() {
    int[] roles = new int[4];
    for (Peer peer : roster.peers()) {
      roles[roleIndex(peer)]++;
    }
    Collection<Channel> started = roster.store.all();
    int live = (int) started.stream().filter(Channel::live).count();
    int relaying = 0;
    int placed = 0;
    int unplaced = 0;
    int depth = 0;
    for (Channel channel : started) {
      RelayTree tree = channel.tree();
      if (tree != null) {
        relaying++;
        placed += tree.size();
        unplaced += tree.waiting().size();
        depth = Math.max(depth, tree.depth());
      }
    }
    return new JsonObject()
        .put("channels", started.size())
        .put("live", live)
        .put("paused", started.size() - live)
        .put("viewers", roles[1])
        .put("peers", roster.peers().size())
        .put(
            "relay",
            new JsonObject()
                .put("trees", relaying)
                .put("viewers", placed)
                .put("waiting", unplaced)
                .put("depth", depth)
                .put("moves", trees.moves()))
        .put(
            "sockets",
            new JsonObject()
                .put("broadcaster", roles[0])
                .put("viewer", roles[1])
                .put("waiting", roles[2])
                .put("idle", roles[3]));
  }

  private int roleIndex(Peer peer) {
    return switch (peer.role) {
      case BROADCASTER -> 0;
      case VIEWER -> roster.isWaiting(peer.channelId) ? 2 : 1;
      case NONE -> 3;
    };
  }

  private static JsonObject limits(AppConfig config) {
    return new JsonObject()
        .put("chatMaxChars", config.chatMaxChars())
        .put("nameMaxChars", AppConfig.NAME_MAX_CHARS)
        .put("titleMaxChars", AppConfig.TITLE_MAX_CHARS)
        .put("maxSdpBytes", config.maxSdpBytes())
        .put("maxCandidateBytes", config.maxCandidateBytes())
        .put("maxViewersPerChannel", config.maxViewersPerChannel())
        .put("maxViewersPerChannelPerAddress", config.maxViewersPerChannelPerAddress())
        .put("directSlots", config.directSlots())
        .put("relaySlots", config.relaySlots())
        .put("graceSeconds", config.graceSeconds());
  }
}
