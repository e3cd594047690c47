package dev.airwave.registry;

import dev.airwave.config.AppConfig;
import dev.airwave.registry.Peer.Role;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The registry's state on this node, shared by its parts: the peers, the channels that only waiting
 * viewers know of, and the channels whose viewer count changed since the last update.
 */
final class Roster {
  final AppConfig config;
  final ChannelStore store;
  final Mailer mailer;
  final LongSupplier clock;
  final Map<String, Peer> peers = new HashMap<>();
  final Map<String, Channel> pending = new HashMap<>();
  final Set<String> countsChanged = new LinkedHashSet<>();

  Roster(AppConfig config, ChannelStore store, Mailer mailer, LongSupplier clock) {
    this.config = config;
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
        peerId, id -> new Peer(id, client != null ? client : id, config, clock.getAsLong()));
  }

  Peer peer(String peerId) {
    return peer(peerId, null);
  }

  /** The peer, charged one request from its budget. */
  Peer admit(String peerId) {
    Peer peer = peer(peerId);
    if (!peer.request.take(clock.getAsLong())) {
      throw Refusals.rateLimited();
    }
    return peer;
  }

  /** The started or pending channel the peer is in, or null. */
  Channel channelOf(Peer peer) {
    if (peer.channelId == null) {
      return null;
    }
    Channel channel = store.find(peer.channelId);
    return channel != null ? channel : pending.get(peer.channelId);
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
    boolean newId = !pending.containsKey(channel.id());
    if (newId && pending.size() >= config.maxWaitingIds()) {
      throw Refusals.waitingFull();
    }
    int viewers = 0;
    int idsOfClient = 0;
    for (Channel waiting : pending.values()) {
      viewers += waiting.viewerCount();
      if (waiting != channel && waiting.placesOf(client) > 0) {
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

  void countChanged(Channel channel) {
    countsChanged.add(channel.id());
    mailer.changed();
  }
}
