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

  Peer peer(String peerId) {
    return peers.computeIfAbsent(peerId, id -> new Peer(id, config, clock.getAsLong()));
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

  void countChanged(Channel channel) {
    countsChanged.add(channel.id());
    mailer.changed();
  }
}
