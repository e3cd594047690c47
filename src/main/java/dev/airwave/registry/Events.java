package dev.airwave.registry;

import io.vertx.core.json.JsonObject;

/** The messages the registry puts in peer inboxes; docs/protocol.md lists their fields. */
final class Events {
  private Events() {}

  static JsonObject of(String type, Channel channel) {
    return new JsonObject().put("type", type).put("channel", channel.id());
  }

  static JsonObject viewerJoined(Channel channel, String peerId, String name) {
    return of("viewer-joined", channel)
        .put("viewer", Channel.viewer(peerId, name))
        .put("viewers", channel.viewerCount());
  }

  static JsonObject viewerLeft(Channel channel, String peerId, String name, String reason) {
    return of("viewer-left", channel)
        .put("peerId", peerId)
        .put("name", name)
        .put("viewers", channel.viewerCount())
        .put("reason", reason);
  }

  static JsonObject channelLive(Channel channel) {
    return of("channel-live", channel)
        .put("channel", channel.summary())
        .put("broadcaster", channel.broadcasterName());
  }

  static JsonObject channelFull(Channel channel) {
    return of("channel-full", channel)
        .put("maxViewers", channel.maxViewers())
        .put("text", "Channel " + channel.label() + " started with no free place for you.");
  }

  /** {@code feed} or {@code unfeed}: start or stop sending the stream to this viewer. */
  static JsonObject feed(Channel channel, String type, String viewer) {
    return of(type, channel).put("viewer", viewer);
  }

  static JsonObject ended(Channel channel, String reason) {
    return of("channel-ended", channel).put("reason", reason);
  }
}
