package dev.airwave.registry;

import dev.airwave.config.AppConfig;
import dev.airwave.logging.LogText;
import dev.airwave.registry.Peer.Role;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broadcasters and the life of their channels: starting, resuming within the grace period, keeping
 * alive, stopping, and ending for any reason with every member told why.
 */
final class Broadcasts {
  private static final Logger LOG = LoggerFactory.getLogger(Broadcasts.class);
  private static final Set<String> CREATE_FIELDS =
      Set.of("id", "title", "name", "maxViewers", "credential", "relay");
  private static final Set<String> RESUME_FIELDS = Set.of("id", "resumeToken");
  private static final Set<String> ID_FIELD = Set.of("id");
  private static final Set<String> NO_FIELDS = Set.of();
  private static final String DEFAULT_NAME = "Broadcaster";
  private static final int SUBJECT_LOG_CHARS = 64;

  /** How many ended channels are remembered, so that a late resume can say why one ended. */
  private static final int ENDED_REMEMBERED = 256;

  private final Roster roster;
  private final Timers timers;
  private final Ids ids;
  private final RelayTrees trees;
  private final Map<String, String> endedRecently =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > ENDED_REMEMBERED;
        }
      };

  Broadcasts(Roster roster, Timers timers, Ids ids, RelayTrees trees) {
    this.roster = roster;
    this.timers = timers;
    this.ids = ids;
    this.trees = trees;
  }

  JsonObject create(String peerId, Object body, Grant grant) {
    Peer peer = roster.admit(peerId);
    Fields fields = Fields.of(body, CREATE_FIELDS);
    roster.requireFree(peer);
    String title = Text.title(fields.optionalString("title"));
    String name =
        fields.has("name")
            ? Text.name(fields.optionalString("name"))
            : peer.name != null ? peer.name : DEFAULT_NAME;
    int cap = roster.config.maxViewersPerChannel();
    int maxViewers = fields.optionalInt("maxViewers", 1, cap, cap);
    boolean relay = fields.optionalBool("relay", false);
    String id =
        fields.has("id")
            ? Text.channelId(fields.optionalString("id"))
            : grant.channel() != null ? grant.channel() : freshId();
    grant.require(id);
    if (roster.store.find(id) != null) {
      throw Refusals.taken(id);
    }
    Channel channel = roster.waitingOrNew(id);
    endedRecently.remove(id);
    channel.start(
        new Broadcast(peerId, peer.client, name, title, maxViewers, relay),
        ids.resumeToken(),
        roster.clock.getAsLong());
    claim(channel);
    roster.started(channel);
    peer.enter(id, Role.BROADCASTER);
    peer.name = name;
    LOG.info(
        "channel created id={} title=\"{}\" waiting={} relay={}{}",
        id,
        LogText.quoted(title, AppConfig.TITLE_MAX_CHARS),
        channel.viewerCount(),
        relay,
        grant.subject() == null
            ? ""
            : " credential=\"" + LogText.quoted(grant.subject(), SUBJECT_LOG_CHARS) + "\"");
    giveWayToBroadcaster(channel);
    turnAwayOverflow(channel);
    welcomeViewers(channel, true);
    return reply(channel);
  }

  private void claim(Channel channel) {
    ChannelStore.Claim claim =
        roster.store.claim(
            channel, roster.config.maxChannels(), roster.config.maxChannelsPerAddress());
    if (claim == ChannelStore.Claim.CLAIMED) {
      return;
    }
    channel.abandon();
    throw switch (claim) {
      case TAKEN -> Refusals.taken(channel.id());
      case CLIENT_FULL -> Refusals.tooManyChannels(roster.config.maxChannelsPerAddress());
      default -> Refusals.channelsFull();
    };
  }

  /** Waiting viewers who took the broadcaster's name get a guest name: the broadcaster's wins. */
  private void giveWayToBroadcaster(Channel channel) {
    for (String viewer : channel.viewersNamedLikeBroadcaster()) {
      channel.renameViewer(viewer, channel.guestName(viewer));
    }
  }

  /** Waiting viewers past the broadcaster's chosen cap are told the channel is full. */
  private void turnAwayOverflow(Channel channel) {
    for (String viewer : channel.viewersBeyond(channel.maxViewers())) {
      channel.removeViewer(viewer);
      Peer peer = roster.find(viewer);
      if (peer != null) {
        peer.exit();
      }
      roster.mailer.send(viewer, Events.channelFull(channel));
      LOG.info("waiting viewer turned away channel={} viewer={}", channel.id(), viewer);
    }
  }

  JsonObject resume(String peerId, Object body) {
    Peer peer = roster.admit(peerId);
    Fields fields = Fields.of(body, RESUME_FIELDS);
    roster.requireFree(peer);
    String id = Text.channelId(fields.string("id"));
    String token = fields.string("resumeToken");
    Channel channel = roster.store.find(id);
    if (channel == null) {
      throw new ProtocolException(
          ErrorCode.NO_SUCH_CHANNEL,
          endedRecently.getOrDefault(id, "Channel " + id + " has ended."));
    }
    if (!sameSecret(token, channel.resumeToken())) {
      throw new ProtocolException(
          ErrorCode.BAD_TOKEN, "This token does not resume channel " + id + ".");
    }
    if (channel.live()) {
      throw new ProtocolException(
          ErrorCode.BROADCASTER_PRESENT,
          "Channel " + id + " still has its broadcaster connected; retry in a moment.");
    }
    timers.cancel(channel.graceTimer());
    channel.graceTimer(-1);
    channel.broadcaster(peerId);
    roster.store.touch(id);
    peer.enter(id, Role.BROADCASTER);
    peer.name = channel.broadcasterName();
    LOG.info("channel resumed id={} viewers={}", id, channel.viewerCount());
    welcomeViewers(channel, false);
    return reply(channel);
  }

  JsonObject stop(String peerId, Object body) {
    Peer peer = roster.admit(peerId);
    String id = Text.channelId(Fields.of(body, ID_FIELD).string("id"));
    Channel channel = roster.store.find(id);
    if (peer.role != Role.BROADCASTER || !id.equals(peer.channelId) || channel == null) {
      throw new ProtocolException(ErrorCode.NOT_OWNER, "Only its broadcaster can stop " + id + ".");
    }
    end(channel, "stopped");
    return new JsonObject();
  }

  JsonObject keepalive(String peerId, Object body) {
    Peer peer = roster.admit(peerId);
    Fields.of(body, NO_FIELDS);
    if (peer.role != Role.BROADCASTER || roster.store.touch(peer.channelId) == null) {
      throw new ProtocolException(
          ErrorCode.NOT_BROADCASTER, "Only a broadcaster sends keep-alives.");
    }
    return new JsonObject();
  }

  /** The broadcaster's socket closed: its channel waits for it during the grace period. */
  void away(Peer peer) {
    Channel channel = roster.store.find(peer.channelId);
    if (channel == null) {
      return;
    }
    channel.broadcaster(null);
    int grace = roster.config.graceSeconds();
    if (grace == 0) {
      end(channel, "broadcaster-gone");
      return;
    }
    channel.graceTimer(timers.schedule(grace * 1000L, () -> graceOver(channel)));
    LOG.info("broadcaster away channel={} grace={}s", channel.id(), grace);
    JsonObject away = Events.of("broadcaster-away", channel).put("graceSeconds", grace);
    channel.viewerIds().forEach(viewer -> roster.mailer.send(viewer, away));
    roster.mailer.changed();
  }

  void evicted(Channel channel) {
    LOG.info("channel evicted id={} idle={}s", channel.id(), roster.config.idleTimeoutSeconds());
    end(channel, "idle");
  }

  /** Ends every started channel and tells every waiting viewer too. */
  void endAll(String reason) {
    roster.store.all().forEach(channel -> end(channel, reason));
    for (Channel channel : roster.drainWaiting()) {
      JsonObject ended = Events.ended(channel, reason);
      channel.viewerIds().forEach(viewer -> roster.mailer.send(viewer, ended));
    }
  }

  void end(Channel channel, String reason) {
    if (roster.store.find(channel.id()) == channel) {
      roster.store.release(channel.id());
    }
    timers.cancel(channel.graceTimer());
    JsonObject ended = Events.ended(channel, reason);
    for (String member : channel.members()) {
      roster.mailer.send(member, ended);
      Peer peer = roster.find(member);
      if (peer != null && channel.id().equals(peer.channelId)) {
        peer.exit();
      }
    }
    roster.forgetCount(channel);
    endedRecently.put(channel.id(), whyEnded(channel, reason));
    LOG.info(
        "channel ended id={} reason={} viewers={}", channel.id(), reason, channel.viewerCount());
    roster.mailer.changed();
  }

  /** Why a channel ended, in the words its broadcaster reads when it tries to take it back. */
  private String whyEnded(Channel channel, String reason) {
    String name = "Channel " + channel.label();
    return switch (reason) {
      case "idle" ->
          name
              + " was closed after "
              + duration(roster.config.idleTimeoutSeconds())
              + " without activity.";
      case "stopped" -> name + " was stopped by its broadcaster.";
      case "broadcaster-gone" ->
          name
              + " ended: its broadcaster did not come back within "
              + duration(roster.config.graceSeconds())
              + ".";
      case "shutdown" -> name + " ended when the service restarted.";
      default -> name + " has ended.";
    };
  }

  /** A number of seconds in words: "45 s", "5 min", "1 h", "1 h 30 min". */
  private static String duration(int seconds) {
    if (seconds < 60) {
      return seconds + " s";
    }
    int minutes = seconds / 60;
    if (minutes < 60) {
      return minutes + " min";
    }
    return minutes % 60 == 0 ? minutes / 60 + " h" : minutes / 60 + " h " + minutes % 60 + " min";
  }

  private void graceOver(Channel channel) {
    if (roster.store.find(channel.id()) == channel && !channel.live()) {
      end(channel, "broadcaster-gone");
    }
  }

  /**
   * Tells waiting (or paused) viewers the broadcast is on, and the broadcaster who watches: in a
   * channel that does not relay, whom to offer to; in one that does, each viewer learns its feeder
   * and each feeder whom to feed.
   */
  private void welcomeViewers(Channel channel, boolean fresh) {
    trees.root(channel);
    channel.forEachViewer(
        (viewer, name) -> {
          JsonObject live = Events.channelLive(channel).put("name", name);
          if (channel.relay()) {
            live.put("parent", trees.parentOf(channel, viewer));
          }
          roster.mailer.send(viewer, live);
          roster.mailer.send(channel.broadcasterId(), Events.viewerJoined(channel, viewer, name));
        });
    trees.announce(channel, fresh);
    roster.countChanged(channel);
  }

  private static JsonObject reply(Channel channel) {
    return new JsonObject()
        .put("channel", channel.summary())
        .put("resumeToken", channel.resumeToken())
        .put("name", channel.broadcasterName())
        .put("viewers", channel.viewerList())
        .put("history", channel.history().lines());
  }

  private String freshId() {
    String id;
    do {
      id = ids.channelId();
    } while (roster.store.find(id) != null || roster.isWaiting(id));
    return id;
  }

  private static boolean sameSecret(String given, String expected) {
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
