package dev.airwave.registry;

import dev.airwave.registry.Peer.Role;
import dev.airwave.registry.RelayTree.Move;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay trees of the channels whose broadcaster lets viewers pass the stream on: each channel's
 * {@link RelayTree} kept by its owner, and what the members are told when it changes. A feeder is
 * told {@code feed} and {@code unfeed}, a viewer {@code parent}, the broadcaster {@code tree}; in a
 * move the old feeder hears first and the viewer last, so that the new feeder's offer, relayed
 * through this registry after it, finds the viewer expecting it. Channels that do not relay have no
 * tree, and none of this reaches their members.
 */
final class RelayTrees {
  private static final Logger LOG = LoggerFactory.getLogger(RelayTrees.class);
  private static final Set<String> ABLE_FIELDS = Set.of("relay");
  private static final Set<String> NO_FIELDS = Set.of();

  private final Roster roster;
  private long moves;

  RelayTrees(Roster roster) {
    this.roster = roster;
  }

  /**
   * The broadcaster started or took back the channel: a new tree, with the waiting viewers placed
   * in arrival order, or the old one under the broadcaster's new peer id. Nothing is sent yet: the
   * viewers learn their parents from {@code channel-live}, then {@link #announce} tells the
   * feeders.
   */
  void root(Channel channel) {
    if (!channel.relay()) {
      return;
    }
    if (channel.tree() != null) {
      channel.tree().reroot(channel.broadcasterId());
      return;
    }
    var config = roster.config;
    RelayTree tree =
        new RelayTree(
            channel.broadcasterId(),
            config.directSlots(),
            config.relaySlots(),
            config.relayMaxDepth());
    channel.tree(tree);
    for (String viewer : channel.viewerIds()) {
      tree.attach(viewer, channel.viewerRelays(viewer));
    }
  }

  /**
   * After {@code channel-live}: each feeder is told whom to feed (after a resume only the
   * broadcaster: the relays below still feed their children), and the broadcaster the tree's shape.
   */
  void announce(Channel channel, boolean fresh) {
    RelayTree tree = channel.tree();
    if (tree == null) {
      return;
    }
    for (String viewer : channel.viewerIds()) {
      if (tree.has(viewer)) {
        String parent = tree.parentOf(viewer);
        if (fresh || parent.equals(channel.broadcasterId())) {
          roster.mailer.send(parent, Events.feed(channel, "feed", viewer));
        }
      }
    }
    shape(channel);
  }

  /**
   * The member that feeds this viewer, for a join reply or {@code channel-live}: null while the
   * viewer waits for a free slot or the broadcaster that would feed it is away.
   */
  String parentOf(Channel channel, String viewer) {
    RelayTree tree = channel.tree();
    if (tree == null || !tree.has(viewer)) {
      return null;
    }
    String parent = tree.parentOf(viewer);
    return parent.equals(tree.root()) && !channel.live() ? null : parent;
  }

  /** A viewer joined a started channel: it goes under the shallowest free slot, or waits. */
  void joined(Channel channel, String viewer) {
    RelayTree tree = channel.tree();
    if (tree == null) {
      return;
    }
    String parent = tree.attach(viewer, channel.viewerRelays(viewer));
    if (parent != null) {
      roster.mailer.send(parent, Events.feed(channel, "feed", viewer));
    }
    shape(channel);
  }

  /** A viewer left: its feeder lets it go, what it fed moves, and waiting viewers take slots. */
  void left(Channel channel, String viewer) {
    RelayTree tree = channel.tree();
    if (tree == null) {
      return;
    }
    if (tree.has(viewer)) {
      roster.mailer.send(tree.parentOf(viewer), Events.feed(channel, "unfeed", viewer));
    }
    apply(channel, tree.detach(viewer));
  }

  /** {@code airwave.relay.able}: the viewer says whether it can pass the stream on now. */
  JsonObject able(Peer peer, Object body) {
    boolean relays = Fields.of(body, ABLE_FIELDS).bool("relay");
    Channel channel = relaying(peer);
    channel.viewerRelays(peer.id, relays);
    LOG.info("relay able channel={} viewer={} relay={}", channel.id(), peer.id, relays);
    apply(channel, channel.tree().relays(peer.id, relays));
    return new JsonObject();
  }

  /** {@code airwave.relay.stalled}: the viewer's feeder stopped; the viewer alone moves away. */
  JsonObject stalled(Peer peer, Object body) {
    Fields.of(body, NO_FIELDS);
    Channel channel = relaying(peer);
    RelayTree tree = channel.tree();
    // A viewer fed by the broadcaster has nowhere better to go: that connection recovers itself.
    if (tree.has(peer.id) && !tree.parentOf(peer.id).equals(tree.root())) {
      LOG.info(
          "relay stalled channel={} viewer={} feeder={}",
          channel.id(),
          peer.id,
          tree.parentOf(peer.id));
      apply(channel, tree.moveAway(peer.id));
    }
    return new JsonObject();
  }

  /** How many viewers were moved from one feeder to another (or to waiting) since the start. */
  long moves() {
    return moves;
  }

  private Channel relaying(Peer peer) {
    if (peer.role == Role.BROADCASTER) {
      throw new ProtocolException(
          ErrorCode.NOT_VIEWER, "Only viewers pass the stream on; a broadcaster feeds its own.");
    }
    Channel channel = roster.channelOf(peer);
    if (channel == null || peer.role != Role.VIEWER) {
      throw Refusals.notMember();
    }
    if (!channel.relay()) {
      throw new ProtocolException(
          ErrorCode.NOT_RELAYED,
          "Channel " + channel.label() + " does not let viewers pass the stream on.");
    }
    if (channel.tree() == null) {
      throw new ProtocolException(
          ErrorCode.NOT_RELAYED, "Channel " + channel.label() + " has not started yet.");
    }
    return channel;
  }

  /** Tells every side of each move, then fills free slots with waiting viewers. */
  private void apply(Channel channel, List<Move> changed) {
    RelayTree tree = channel.tree();
    for (Move move : changed) {
      tell(channel, move);
    }
    for (Move move : tree.placeWaiting()) {
      tell(channel, move);
    }
    shape(channel);
  }

  private void tell(Channel channel, Move move) {
    moves++;
    // A feeder that left needs no word; one that stopped relaying lets the viewer go.
    if (move.from() != null && channel.hasViewer(move.from())) {
      roster.mailer.send(move.from(), Events.feed(channel, "unfeed", move.viewer()));
    }
    if (move.parent() != null) {
      roster.mailer.send(move.parent(), Events.feed(channel, "feed", move.viewer()));
    }
    roster.mailer.send(
        move.viewer(),
        Events.of("parent", channel).put("parent", parentOf(channel, move.viewer())));
  }

  /** The tree's shape, for its broadcaster. */
  private void shape(Channel channel) {
    RelayTree tree = channel.tree();
    if (!channel.live()) {
      return;
    }
    roster.mailer.send(
        channel.broadcasterId(),
        Events.of("tree", channel)
            .put("direct", tree.children(tree.root()).size())
            .put("depth", tree.depth())
            .put("viewers", tree.size())
            .put("waiting", tree.waiting().size()));
  }
}
