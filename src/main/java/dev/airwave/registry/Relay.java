package dev.airwave.registry;

import dev.airwave.registry.Peer.Role;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Carries offers, answers, ICE candidates and chat between the members of one channel. */
final class Relay {
  private static final Set<String> SIGNAL_FIELDS = Set.of("to", "type", "description", "candidate");
  private static final Set<String> DESCRIPTION_FIELDS = Set.of("type", "sdp");
  private static final Set<String> CANDIDATE_FIELDS =
      Set.of("candidate", "sdpMid", "sdpMLineIndex", "usernameFragment");
  private static final Set<String> CHAT_FIELDS = Set.of("text");

  private final Roster roster;
  private long chatSequence;

  Relay(Roster roster) {
    this.roster = roster;
  }

  JsonObject signal(Peer sender, Object body) {
    roster.charge(sender.signal);
    Fields fields = Fields.of(body, SIGNAL_FIELDS);
    String to = fields.string("to");
    String type = fields.string("type");
    JsonObject relayed =
        switch (type) {
          case "offer", "answer" -> description(fields, type);
          case "ice" -> candidate(fields);
          default ->
              throw new ProtocolException(
                  ErrorCode.UNKNOWN_TYPE, "A signal type is offer, answer or ice.");
        };
    Channel channel = sender.channelId == null ? null : roster.store.touch(sender.channelId);
    if (channel == null || !channel.live()) {
      throw notAllowed();
    }
    Peer target = roster.find(to);
    if (target == null) {
      throw new ProtocolException(ErrorCode.NO_SUCH_PEER, "That peer is not connected.");
    }
    boolean toViewer = sender.role == Role.BROADCASTER && channel.hasViewer(to);
    boolean fromViewer = sender.role == Role.VIEWER && channel.hasViewer(sender.id);
    boolean toBroadcaster = fromViewer && to.equals(channel.broadcasterId());
    // In a relaying channel a viewer also signals with its feeder and the viewers it feeds.
    boolean alongTree =
        fromViewer
            && channel.hasViewer(to)
            && channel.tree() != null
            && channel.tree().linked(sender.id, to);
    if (!toViewer && !toBroadcaster && !alongTree) {
      throw notAllowed();
    }
    roster.mailer.send(to, relayed.put("from", sender.id).put("channel", channel.id()));
    return new JsonObject();
  }

  JsonObject chat(Peer sender, Object body) {
    roster.charge(sender.chat);
    String text =
        Text.chat(Fields.of(body, CHAT_FIELDS).string("text"), roster.config.chatMaxChars());
    Channel channel = sender.channelId == null ? null : roster.store.touch(sender.channelId);
    if (channel == null || !channel.members().contains(sender.id)) {
      throw Refusals.notMember();
    }
    String id = Long.toString(++chatSequence, 36);
    String name =
        sender.role == Role.BROADCASTER ? channel.broadcasterName() : channel.viewerName(sender.id);
    JsonObject message =
        Events.of("chat", channel)
            .put("id", id)
            .put(
                "from",
                new JsonObject()
                    .put("peerId", sender.id)
                    .put("name", name)
                    .put("role", sender.roleName()))
            .put("text", text)
            .put("at", now());
    channel.history().add(message, name, text);
    channel.members().forEach(member -> roster.mailer.send(member, message));
    return new JsonObject().put("id", id);
  }

  private JsonObject description(Fields fields, String type) {
    if (fields.has("candidate")) {
      throw Fields.bad("An " + type + " carries a description, not a candidate.");
    }
    JsonObject raw = fields.optionalObject("description");
    if (raw == null) {
      throw Fields.bad("An " + type + " needs a description.");
    }
    Fields description = Fields.of(raw, DESCRIPTION_FIELDS);
    if (!type.equals(description.string("type"))) {
      throw Fields.bad("The description's type must be " + type + ".");
    }
    String sdp = description.string("sdp");
    if (sdp.getBytes(StandardCharsets.UTF_8).length > roster.config.maxSdpBytes()) {
      throw new ProtocolException(
          ErrorCode.TOO_LARGE, "An SDP may be at most " + roster.config.maxSdpBytes() + " bytes.");
    }
    return new JsonObject()
        .put("type", type)
        .put("description", new JsonObject().put("type", type).put("sdp", sdp));
  }

  private JsonObject candidate(Fields fields) {
    if (fields.has("description")) {
      throw Fields.bad("An ice message carries a candidate, not a description.");
    }
    if (!fields.has("candidate")) {
      throw Fields.bad("An ice message needs a candidate (null for the end of candidates).");
    }
    JsonObject raw = fields.optionalObject("candidate");
    JsonObject relayed = new JsonObject().put("type", "ice");
    if (raw == null) {
      return relayed.putNull("candidate");
    }
    if (raw.encode().getBytes(StandardCharsets.UTF_8).length > roster.config.maxCandidateBytes()) {
      throw new ProtocolException(
          ErrorCode.TOO_LARGE,
          "A candidate may be at most " + roster.config.maxCandidateBytes() + " bytes.");
    }
    Fields candidate = Fields.of(raw, CANDIDATE_FIELDS);
    Object index = raw.getValue("sdpMLineIndex");
    if (index != null && !(index instanceof Integer || index instanceof Long)) {
      throw Fields.bad("Field \"sdpMLineIndex\" must be an integer.");
    }
    JsonObject clean =
        new JsonObject()
            .put("candidate", candidate.string("candidate"))
            .put("sdpMid", candidate.optionalString("sdpMid"))
            .put("sdpMLineIndex", index)
            .put("usernameFragment", candidate.optionalString("usernameFragment"));
    return relayed.put("candidate", clean);
  }

  private long now() {
    return roster.clock.getAsLong();
  }

  private static ProtocolException notAllowed() {
    return new ProtocolException(
        ErrorCode.NOT_ALLOWED,
        "Signals go only between a broadcaster and a viewer of its channel, or along a relay"
            + " tree's edge.");
  }
}
