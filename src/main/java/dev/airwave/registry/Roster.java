package dev.airwave.registry;

import dev.airwave.config.AppConfig;
import dev.airwave.registry.Peer.Role;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The registry's state on this node, shared by its parts through named operations: the peers, the
 * channels that only waiting viewers know of, and the channels whose viewer count changed since the
 * last update.
 *
 * <p>Invariants: a waiting channel holds at least one viewer and is never in the store at the same
 * time (it moves to the store when its broadcaster starts it); a peer is here from its first
 * request until its socket closes.
 */
final class Roster {
  final AppConfig config;
  final ChannelStore store;
  final Mailer mailer;
  final LongSupplier clock;

  /** Whether this registry charges the peers' rate budgets, or their edge already did. */
  private final boolean metered;

  /** What waits on the other nodes, counted in the waiting quotas too. */
  private final WaitingElsewhere elsewhere;

  private final Map<String, Peer> peers = new HashMap<>();
  private final Map<String, Channel> waiting = new HashMap<>();
  private final Set<String> countsChanged = new LinkedHashSet<>();

  Roster(
      AppConfig config,
      ChannelStore store,
      Mailer mailer,
      LongSupplier clock,
      boolean metered,
      WaitingElsewhere elsewhere) {
    this.config = config;
    this.metered = metered;
    this.elsewhere = elsewhere;
    this.store = store;
    this.mailer = mailer;
    this.clock = clock;
  }

  /**
   * The peer, known from now on by the client address the edge stamped on its first request. A peer
   * met without one (in unit tests) counts as a client address of its own.
   */
  Peer peer(String peerId, String client) {
    return peers.computeIfAbsent(
        peerId,
        id -> new Peer(id, client != null ? client : id, config, clock.getAsLong(), metered));
  }

  Peer peer(String peerId) {
    return peer(peerId, null);
  }

  /** The peer, charged one request from its budget. */
  Peer admit(String peerId) {
    Peer peer = peer(peerId);
    charge(peer.request);
    return peer;
  }

  /** Takes one message from a budget, refusing it when the budget is spent. */
  void charge(TokenBucket budget) {
    if (metered && !budget.take(clock.getAsLong())) {
      throw Refusals.rateLimited();
    }
  }

  /** The peer with this id, or null when its socket is not known here. */
  Peer find(String peerId) {
    return peers.get(peerId);
  }

  /** Forgets the peer whose socket closed; returns it, or null when it was not known. */
  Peer forget(String peerId) {
    return peers.remove(peerId);
  }

  Collection<Peer> peers() {
    return Collections.unmodifiableCollection(peers.values());
  }

  /** The started or waiting channel the peer is in, or null. */
  Channel channelOf(Peer peer) {
    if (peer.channelId == null) {
      return null;
    }
    Channel channel = store.find(peer.channelId);
    return channel != null ? channel : waiting.get(peer.channelId);
  }

  /** The channel that viewers wait on under this id, or a new one that nobody waits on yet. */
  Channel waitingOrNew(String id) {
    Channel channel = waiting.get(id);
    return channel != null
        ? channel
        : new Channel(id, new ChatHistory(config.chatHistoryLines(), config.chatHistoryBytes()));
  }

  boolean isWaiting(String id) {
    return waiting.containsKey(id);
  }

  /** Keeps a channel that a viewer now waits on. */
  void waitOn(Channel channel) {
    waiting.put(channel.id(), channel);
    mailer.changed();
  }

  /** The channel started: it is the store's from now on. */
  void started(Channel channel) {
    waiting.remove(channel.id());
    mailer.changed();
  }

  /** Drops a waiting channel whose last viewer left. */
  void dropIfEmpty(Channel channel) {
    if (channel.viewerCount() == 0) {
      waiting.remove(channel.id(), channel);
    }
    mailer.changed();
  }

  /** Hands over every waiting channel and forgets them all (at shutdown). */
  List<Channel> drainWaiting() {
    List<Channel> all = List.copyOf(waiting.values());
    waiting.clear();
    return all;
  }

  void requireFree(Peer peer) {
    if (peer.role != Role.NONE) {
      throw new ProtocolException(
          ErrorCode.ALREADY_IN_CHANNEL,
          "This connection is already in channel " + peer.channelId + ".");
    }
  }

  /**
   * Refuses a viewer who would wait on a channel id that is not started yet when that would pass
   * the waiting quotas: ids per client address, ids on the service, viewers on the service.
   */
  void requireWaitingRoom(Channel channel, String client) {
    boolean newId = !waiting.containsKey(channel.id());
    if (newId && waiting.size() + elsewhere.ids() >= config.maxWaitingIds()) {
      throw Refusals.waitingFull();
    }
    int viewers = elsewhere.viewers();
    int idsOfClient = elsewhere.idsOf(client);
    for (Channel other : waiting.values()) {
      viewers += other.viewerCount();
      if (other != channel && other.placesOf(client) > 0) {
        idsOfClient++;
      }
    }
    if (viewers >= config.maxWaitingViewers()) {
      throw Refusals.waitingFull();
    }
    if (channel.placesOf(client) == 0 && idsOfClient >= config.maxWaitingIdsPerAddress()) {
      throw new ProtocolException(
          ErrorCode.TOO_MANY_WAITING,
          "This address already waits on "
              + idsOfClient
              + " channels that have not started; wait on fewer.");
    }
  }

  /**
   * What waits here, for the other nodes' quotas: {@code ids}, {@code viewers}, and {@code
   * clients}, the number of ids each client address waits on.
   */
  JsonObject waitingSummary() {
    JsonObject clients = new JsonObject();
    int viewers = 0;
    for (Channel channel : waiting.values()) {
      viewers += channel.viewerCount();
      for (String client : channel.clients()) {
        clients.put(client, clients.getInteger(client, 0) + 1);
      }
    }
    return new JsonObject()
        .put("ids", waiting.size())
        .put("viewers", viewers)
        .put("clients", clients);
  }

  void countChanged(Channel channel) {
    countsChanged.add(channel.id());
    mailer.changed();
  }

  /** The ids of the channels whose viewer count changed since the last call. */
  List<String> drainCountChanges() {
    List<String> changed = List.copyOf(countsChanged);
    countsChanged.clear();
    return changed;
  }

  /** An ended channel needs no count update. */
  void forgetCount(Channel channel) {
    countsChanged.remove(channel.id());
  }
}
