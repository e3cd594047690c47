package dev.airwave.registry;

import dev.airwave.bus.Addresses;
import dev.airwave.config.AppConfig;
import dev.airwave.registry.Peer.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel registry's rules, free of Vert.x: who broadcasts and watches what, and what each
 * member is told when that changes. Every method runs on one thread.
 */
public final class Registry {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);
  private static final Set<String> CREATE_FIELDS = Set.of("id", "title", "name");
  private static final Set<String> RESUME_FIELDS = Set.of("id", "resumeToken");
  private static final Set<String> JOIN_FIELDS = Set.of("id", "name");
  private static final Set<String> ID_FIELD = Set.of("id");
  private static final Set<String> NAME_FIELD = Set.of("name");
  private static final Set<String> NO_FIELDS = Set.of();

  private final AppConfig config;
  private final ChannelStore store;
  private final Mailer mailer;
  private final Timers timers;
  private final Ids ids;
  private final LongSupplier clock;
  private final Map<String, Peer> peers = new HashMap<>();
  private final Map<String, Channel> pending = new HashMap<>();
  private final Set<String> countsChanged = new LinkedHashSet<>();
  private final Relay relay;
  private final IceServers iceServers;

  public Registry(
      AppConfig config,
      ChannelStore store,
      Mailer mailer,
      Timers timers,
      Ids ids,
      LongSupplier clock) {
    this.config = config;
    this.store = store;
    this.mailer = mailer;
    this.timers = timers;
    this.ids = ids;
    this.clock = clock;
    this.relay = new Relay(config, store, mailer, peers, clock);
    this.iceServers = new IceServers(config);
  }

  public JsonObject hello(String peerId) {
    admit(peerId);
    return new JsonObject()
        .put("peerId", peerId)
        .put("inbox", Addresses.inbox(peerId))
        .put("keepaliveMs", config.keepaliveMs())
        .put("iceServers", iceServers.forPeer(peerId, clock.getAsLong()))
        .put("iceTransportPolicy", config.iceTransportPolicy())
        .put("iceTtlSeconds", iceServers.ttlSeconds())
        .put("limits", limits());
  }

  public JsonObject list(String peerId, Object body) {
    admit(peerId);
    Fields.of(body, NO_FIELDS);
    return list();
  }

  /** The live channels, newest first, with the server's clock so pages can show durations. */
  public JsonObject list() {
    return new JsonObject().put("channels", channels()).put("now", clock.getAsLong());
  }

  public JsonObject create(String peerId, Object body) {
    Peer peer = admit(peerId);
    Fields fields = Fields.of(body, CREATE_FIELDS);
    requireFree(peer);
    String title = Text.title(fields.optionalString("title"));
    String name = fields.has("name") ? Text.name(fields.optionalString("name")) : defaultName(peer);
    String id = fields.has("id") ? Text.channelId(fields.optionalString("id")) : freshId();
    if (store.find(id) != null) {
      throw taken(id);
    }
    Channel channel = pending.getOrDefault(id, new Channel(id));
    if (channel.nameTaken(name, peerId)) {
      throw new ProtocolException(
          ErrorCode.NAME_TAKEN, "A viewer waiting here is called " + name + ".");
    }
    channel.start(peerId, name, title, ids.resumeToken(), clock.getAsLong());
    ChannelStore.Claim claim = store.claim(channel, config.maxChannels());
    if (claim != ChannelStore.Claim.CLAIMED) {
      channel.abandon();
      throw claim == ChannelStore.Claim.TAKEN
          ? taken(id)
          : new ProtocolException(
              ErrorCode.CHANNELS_FULL, "The server carries its maximum of channels; try later.");
    }
    pending.remove(id);
    peer.enter(id, Role.BROADCASTER);
    peer.name = name;
    LOG.info("channel created id={} title=\"{}\" waiting={}", id, title, channel.viewerCount());
    welcomeViewers(channel);
    return broadcasterReply(channel, name);
  }

  public JsonObject resume(String peerId, Object body) {
    Peer peer = admit(peerId);
    Fields fields = Fields.of(body, RESUME_FIELDS);
    requireFree(peer);
    String id = Text.channelId(fields.string("id"));
    String token = fields.string("resumeToken");
    Channel channel = store.find(id);
    if (channel == null) {
      throw new ProtocolException(ErrorCode.NO_SUCH_CHANNEL, "Channel " + id + " has ended.");
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
    store.touch(id);
    peer.enter(id, Role.BROADCASTER);
    peer.name = channel.broadcasterName();
    LOG.info("channel resumed id={} viewers={}", id, channel.viewerCount());
    welcomeViewers(channel);
    return broadcasterReply(channel, channel.broadcasterName());
  }

  public JsonObject join(String peerId, Object body) {
    Peer peer = admit(peerId);
    Fields fields = Fields.of(body, JOIN_FIELDS);
    requireFree(peer);
    String id = Text.channelId(fields.string("id"));
    String wanted = fields.has("name") ? Text.name(fields.optionalString("name")) : peer.name;
    Channel channel = store.touch(id);
    if (channel == null) {
      channel = pending.getOrDefault(id, new Channel(id));
    }
    if (channel.viewerCount() >= config.maxViewersPerChannel()) {
      throw new ProtocolException(ErrorCode.CHANNEL_FULL, "Channel " + id + " has no free place.");
    }
    if (wanted != null && channel.nameTaken(wanted, peerId)) {
      throw nameTaken(wanted);
    }
    String name = wanted != null ? wanted : channel.guestName(peerId);
    channel.addViewer(peerId, name);
    peer.enter(id, Role.VIEWER);
    if (channel.pending()) {
      pending.put(id, channel);
    } else {
      countChanged(channel);
    }
    if (channel.live()) {
      mailer.send(channel.broadcasterId(), viewerJoined(channel, peerId, name));
    }
    LOG.info("viewer joined channel={} viewer={} live={}", id, peerId, channel.live());
    return new JsonObject()
        .put("status", channel.live() ? "live" : "waiting")
        .put("channel", channel.pending() ? null : channel.summary())
        .put("name", name)
        .put("broadcaster", channel.live() ? channel.broadcasterName() : null);
  }

  public JsonObject leave(String peerId, Object body) {
    Peer peer = admit(peerId);
    Fields.of(body, NO_FIELDS);
    if (peer.role == Role.BROADCASTER) {
      throw new ProtocolException(ErrorCode.NOT_VIEWER, "A broadcaster stops its channel instead.");
    }
    if (peer.role == Role.NONE) {
      throw notMember();
    }
    removeViewer(peer, "left");
    return new JsonObject();
  }

  public JsonObject stop(String peerId, Object body) {
    Peer peer = admit(peerId);
    String id = Text.channelId(Fields.of(body, ID_FIELD).string("id"));
    Channel channel = store.find(id);
    if (peer.role != Role.BROADCASTER || !id.equals(peer.channelId) || channel == null) {
      throw new ProtocolException(ErrorCode.NOT_OWNER, "Only its broadcaster can stop " + id + ".");
    }
    end(channel, "stopped");
    return new JsonObject();
  }

  public JsonObject keepalive(String peerId, Object body) {
    Peer peer = admit(peerId);
    Fields.of(body, NO_FIELDS);
    if (peer.role != Role.BROADCASTER || store.touch(peer.channelId) == null) {
      throw new ProtocolException(
          ErrorCode.NOT_BROADCASTER, "Only a broadcaster sends keep-alives.");
    }
    return new JsonObject();
  }

  public JsonObject rename(String peerId, Object body) {
    Peer peer = admit(peerId);
    String name = Text.name(Fields.of(body, NAME_FIELD).string("name"));
    Channel channel = channelOf(peer);
    if (channel != null) {
      if (channel.nameTaken(name, peerId)) {
        throw nameTaken(name);
      }
      if (peer.role == Role.BROADCASTER) {
        channel.renameBroadcaster(name);
      } else {
        channel.addViewer(peerId, name);
        if (channel.live()) {
          mailer.send(
              channel.broadcasterId(),
              event("viewer-renamed", channel).put("peerId", peerId).put("name", name));
        }
      }
    }
    peer.name = name;
    return new JsonObject().put("name", name);
  }

  public JsonObject signal(String peerId, Object body) {
    return relay.signal(peer(peerId), body);
  }

  public JsonObject chat(String peerId, Object body) {
    return relay.chat(peer(peerId), body);
  }

  /** The socket of this peer closed: free its place, or start its channel's grace period. */
  public void disconnect(String peerId) {
    Peer peer = peers.remove(peerId);
    if (peer == null || peer.role == Role.NONE) {
      return;
    }
    if (peer.role == Role.VIEWER) {
      removeViewer(peer, "disconnected");
      return;
    }
    Channel channel = store.find(peer.channelId);
    if (channel == null) {
      return;
    }
    channel.broadcaster(null);
    if (config.graceSeconds() == 0) {
      end(channel, "broadcaster-gone");
      return;
    }
    channel.graceTimer(timers.schedule(config.graceSeconds() * 1000L, () -> graceOver(channel)));
    LOG.info("broadcaster away channel={} grace={}s", channel.id(), config.graceSeconds());
    JsonObject away = event("broadcaster-away", channel).put("graceSeconds", config.graceSeconds());
    channel.viewers().keySet().forEach(viewer -> mailer.send(viewer, away));
    mailer.changed();
  }

  /** Ends every channel that has been idle past the timeout; returns how many. */
  public int sweep() {
    List<Channel> expired = store.expired();
    expired.forEach(this::evicted);
    return expired.size();
  }

  /** Ends channels that expired while other calls looked them up; returns how many. */
  public int settle() {
    List<Channel> expired = store.drainExpired();
    expired.forEach(this::evicted);
    return expired.size();
  }

  public void shutdown() {
    store.all().forEach(channel -> end(channel, "shutdown"));
    pending.values().forEach(channel -> endPending(channel, "shutdown"));
    pending.clear();
  }

  /** Sends each changed channel's viewer count to its members. */
  public void flushCounts() {
    for (String id : countsChanged) {
      Channel channel = store.find(id);
      if (channel != null) {
        JsonObject count = event("viewers", channel).put("viewers", channel.viewerCount());
        channel.members().forEach(member -> mailer.send(member, count));
      }
    }
    countsChanged.clear();
  }

  public JsonArray channels() {
    JsonArray list = new JsonArray();
    store.all().stream()
        .sorted(Comparator.comparingLong(Channel::startedAt).reversed())
        .forEach(channel -> list.add(channel.summary()));
    return list;
  }

  /** Figures for health and metrics; linear in the number of peers. */
  public JsonObject status() {
    int[] roles = new int[4];
    for (Peer peer : peers.values()) {
      roles[roleIndex(peer)]++;
    }
    return new JsonObject()
        .put("channels", store.all().size())
        .put("viewers", roles[1])
        .put("peers", peers.size())
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
      case VIEWER -> pending.containsKey(peer.channelId) ? 2 : 1;
      case NONE -> 3;
    };
  }

  private void welcomeViewers(Channel channel) {
    JsonObject live =
        event("channel-live", channel)
            .put("channel", channel.summary())
            .put("broadcaster", channel.broadcasterName());
    channel
        .viewers()
        .forEach(
            (viewer, name) -> {
              mailer.send(viewer, live);
              mailer.send(channel.broadcasterId(), viewerJoined(channel, viewer, name));
            });
    countChanged(channel);
  }

  private JsonObject broadcasterReply(Channel channel, String name) {
    return new JsonObject()
        .put("channel", channel.summary())
        .put("resumeToken", channel.resumeToken())
        .put("name", name)
        .put("viewers", channel.viewerList());
  }

  private void removeViewer(Peer peer, String reason) {
    Channel channel = channelOf(peer);
    peer.exit();
    if (channel == null) {
      return;
    }
    String name = channel.removeViewer(peer.id);
    LOG.info("viewer left channel={} viewer={} reason={}", channel.id(), peer.id, reason);
    if (channel.pending()) {
      if (channel.viewerCount() == 0) {
        pending.remove(channel.id());
      }
      return;
    }
    if (channel.live()) {
      mailer.send(
          channel.broadcasterId(),
          event("viewer-left", channel)
              .put("peerId", peer.id)
              .put("name", name)
              .put("viewers", channel.viewerCount())
              .put("reason", reason));
    }
    countChanged(channel);
  }

  private void graceOver(Channel channel) {
    if (store.find(channel.id()) == channel && !channel.live()) {
      end(channel, "broadcaster-gone");
    }
  }

  private void evicted(Channel channel) {
    LOG.info("channel evicted id={} idle={}s", channel.id(), config.idleTimeoutSeconds());
    end(channel, "idle");
  }

  private void end(Channel channel, String reason) {
    if (store.find(channel.id()) == channel) {
      store.release(channel.id());
    }
    timers.cancel(channel.graceTimer());
    JsonObject ended = event("channel-ended", channel).put("reason", reason);
    for (String member : channel.members()) {
      mailer.send(member, ended);
      Peer peer = peers.get(member);
      if (peer != null && channel.id().equals(peer.channelId)) {
        peer.exit();
      }
    }
    countsChanged.remove(channel.id());
    LOG.info(
        "channel ended id={} reason={} viewers={}", channel.id(), reason, channel.viewerCount());
    mailer.changed();
  }

  private void endPending(Channel channel, String reason) {
    JsonObject ended = event("channel-ended", channel).put("reason", reason);
    channel.viewers().keySet().forEach(viewer -> mailer.send(viewer, ended));
  }

  private void countChanged(Channel channel) {
    countsChanged.add(channel.id());
    mailer.changed();
  }

  private Channel channelOf(Peer peer) {
    if (peer.channelId == null) {
      return null;
    }
    Channel channel = store.find(peer.channelId);
    return channel != null ? channel : pending.get(peer.channelId);
  }

  private Peer peer(String peerId) {
    return peers.computeIfAbsent(peerId, id -> new Peer(id, config, clock.getAsLong()));
  }

  private Peer admit(String peerId) {
    Peer peer = peer(peerId);
    if (!peer.request.take(clock.getAsLong())) {
      throw Relay.rateLimited();
    }
    return peer;
  }

  private void requireFree(Peer peer) {
    if (peer.role != Role.NONE) {
      throw new ProtocolException(
          ErrorCode.ALREADY_IN_CHANNEL,
          "This connection is already in channel " + peer.channelId + ".");
    }
  }

  private String defaultName(Peer peer) {
    return peer.name != null ? peer.name : "Broadcaster";
  }

  private String freshId() {
    String id;
    do {
      id = ids.channelId();
    } while (store.find(id) != null || pending.containsKey(id));
    return id;
  }

  private JsonObject limits() {
    return new JsonObject()
        .put("chatMaxChars", config.chatMaxChars())
        .put("nameMaxChars", AppConfig.NAME_MAX_CHARS)
        .put("titleMaxChars", AppConfig.TITLE_MAX_CHARS)
        .put("maxSdpBytes", config.maxSdpBytes())
        .put("maxCandidateBytes", config.maxCandidateBytes())
        .put("maxViewersPerChannel", config.maxViewersPerChannel())
        .put("graceSeconds", config.graceSeconds());
  }

  static JsonObject event(String type, Channel channel) {
    return new JsonObject().put("type", type).put("channel", channel.id());
  }

  private static JsonObject viewerJoined(Channel channel, String peerId, String name) {
    return event("viewer-joined", channel)
        .put("viewer", Channel.viewer(peerId, name))
        .put("viewers", channel.viewerCount());
  }

  private static boolean sameSecret(String given, String expected) {
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private static ProtocolException taken(String id) {
    return new ProtocolException(
        ErrorCode.CHANNEL_TAKEN, "Channel id " + id + " is already in use.");
  }

  private static ProtocolException nameTaken(String name) {
    return new ProtocolException(
        ErrorCode.NAME_TAKEN, "Someone in this channel is already called " + name + ".");
  }

  static ProtocolException notMember() {
    return new ProtocolException(ErrorCode.NOT_MEMBER, "This connection is not in a live channel.");
  }
}
