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

  /**
   * A peer with its own rate budgets when {@code metered}, else none (null): its edge keeps them
   * ({@code EdgeSocket}) and charges every request before it arrives here.
   */
  Peer(String id, String client, AppConfig config, long now, boolean metered) {
    this.id = id;
    this.client = client;
    this.chat = metered ? new TokenBucket(config.chatPerSecond(), config.chatBurst(), now) : null;
    this.signal =
        metered ? new TokenBucket(config.signalPerSecond(), config.signalBurst(), now) : null;
    this.request =
        metered ? new TokenBucket(config.requestPerSecond(), config.requestBurst(), now) : null;
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
