package dev.airwave.registry;

import dev.airwave.registry.Peer.Role;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Viewers: joining (or waiting for a broadcast), naming themselves and leaving. */
final class Audience {
  private static final Logger LOG = LoggerFactory.getLogger(Audience.class);
  private static final Set<String> JOIN_FIELDS = Set.of("id", "name", "relay");
  private static final Set<String> NAME_FIELD = Set.of("name");
  private static final Set<String> NO_FIELDS = Set.of();

  private final Roster roster;
  private final RelayTrees trees;

  Audience(Roster roster, RelayTrees trees) {
    this.roster = roster;
    this.trees = trees;
  }

  JsonObject join(String peerId, Object body) {
    Peer peer = roster.admit(peerId);
    Fields fields = Fields.of(body, JOIN_FIELDS);
    roster.requireFree(peer);
    String id = Text.channelId(fields.string("id"));
    String wanted = fields.has("name") ? Text.name(fields.optionalString("name")) : peer.name;
    boolean relays = fields.optionalBool("relay", false);
    Channel channel = roster.store.touch(id);
    if (channel == null) {
      channel = roster.waitingOrNew(id);
    }
    requirePlace(channel, peer.client);
    if (wanted != null && channel.nameTaken(wanted, peerId)) {
      throw Refusals.nameTaken(wanted);
    }
    String name = wanted != null ? wanted : channel.guestName(peerId);
    channel.addViewer(peerId, name, peer.client, relays);
    peer.enter(id, Role.VIEWER);
    if (channel.pending()) {
      roster.waitOn(channel);
    } else {
      roster.countChanged(channel);
    }
    if (channel.live()) {
      roster.mailer.send(channel.broadcasterId(), Events.viewerJoined(channel, peerId, name));
    }
    trees.joined(channel, peerId);
    LOG.info("viewer joined channel={} viewer={} live={}", id, peerId, channel.live());
    JsonObject reply =
        new JsonObject()
            .put("status", channel.live() ? "live" : "waiting")
            .put("channel", channel.pending() ? null : channel.summary())
            .put("name", name)
            .put("broadcaster", channel.live() ? channel.broadcasterName() : null)
            .put("history", channel.history().lines());
    if (channel.relay()) {
      reply.put("parent", trees.parentOf(channel, peerId));
    }
    return reply;
  }

  JsonObject leave(String peerId, Object body) {
    Peer peer = roster.admit(peerId);
    Fields.of(body, NO_FIELDS);
    if (peer.role == Role.BROADCASTER) {
      throw new ProtocolException(ErrorCode.NOT_VIEWER, "A broadcaster stops its channel instead.");
    }
    if (peer.role == Role.NONE) {
      throw Refusals.notMember();
    }
    remove(peer, "left");
    return new JsonObject();
  }

  /** Sets the display name, unique within the peer's channel whatever its role. */
  JsonObject rename(String peerId, Object body) {
    Peer peer = roster.admit(peerId);
    String name = Text.name(Fields.of(body, NAME_FIELD).string("name"));
    Channel channel = roster.channelOf(peer);
    if (channel != null) {
      if (channel.nameTaken(name, peerId)) {
        throw Refusals.nameTaken(name);
      }
      if (peer.role == Role.BROADCASTER) {
        channel.renameBroadcaster(name);
      } else {
        channel.renameViewer(peerId, name);
        if (channel.live()) {
          JsonObject renamed =
              Events.of("viewer-renamed", channel).put("peerId", peerId).put("name", name);
          roster.mailer.send(channel.broadcasterId(), renamed);
        }
      }
    }
    peer.name = name;
    return new JsonObject().put("name", name);
  }

  /**
   * Refuses a place in a full channel, a place past this client address's share of it, and a wait
   * that passes the waiting quotas.
   */
  private void requirePlace(Channel channel, String client) {
    int cap = channel.pending() ? roster.config.maxViewersPerChannel() : channel.maxViewers();
    if (channel.viewerCount() >= cap) {
      throw new ProtocolException(
          ErrorCode.CHANNEL_FULL, "Channel " + channel.label() + " has no free place.");
    }
    int share = roster.config.maxViewersPerChannelPerAddress();
    if (channel.placesOf(client) >= share) {
      throw new ProtocolException(
          ErrorCode.TOO_MANY_PLACES,
          "This address already holds " + share + " places in channel " + channel.label() + ".");
    }
    if (channel.pending()) {
      roster.requireWaitingRoom(channel, client);
    }
  }

  /** Frees the viewer's place and tells the broadcaster at once. */
  void remove(Peer peer, String reason) {
    Channel channel = roster.channelOf(peer);
    peer.exit();
    if (channel == null) {
      return;
    }
    String name = channel.removeViewer(peer.id);
    trees.left(channel, peer.id);
    LOG.info("viewer left channel={} viewer={} reason={}", channel.id(), peer.id, reason);
    if (channel.pending()) {
      roster.dropIfEmpty(channel);
      return;
    }
    if (channel.live()) {
      roster.mailer.send(
          channel.broadcasterId(), Events.viewerLeft(channel, peer.id, name, reason));
    }
    roster.countChanged(channel);
  }
}
