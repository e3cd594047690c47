package dev.airwave.registry;

import dev.airwave.config.AppConfig;

/** One connected socket as the registry sees it: its role, its channel and its rate budgets. */
final class Peer {
  enum Role {
    NONE,
    BROADCASTER,
    VIEWER
  }

  final String id;

  /** The client address that per-address quotas count this peer against. */
  final String client;

  final TokenBucket chat;
  final TokenBucket signal;
  final TokenBucket request;
  String name;
  String channelId;
  Role role = Role.NONE;

  Peer(String id, String client, AppConfig config, long now) {
    this.id = id;
    this.client = client;
    this.chat = new TokenBucket(config.chatPerSecond(), config.chatBurst(), now);
    this.signal = new TokenBucket(config.signalPerSecond(), config.signalBurst(), now);
    this.request = new TokenBucket(config.requestPerSecond(), config.requestBurst(), now);
  }

  void enter(String channel, Role as) {
    channelId = channel;
    role = as;
  }

  void exit() {
    channelId = null;
    role = Role.NONE;
  }

  String roleName() {
    return role == Role.BROADCASTER ? "broadcaster" : "viewer";
  }
}
