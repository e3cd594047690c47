package dev.airwave.registry;

import dev.airwave.bus.Addresses;
import dev.airwave.config.AppConfig;
import java.util.HashSet;
import java.util.Set;

/**
 * One socket of this node as its edge sees it: its rate budgets (a socket lives on one node, so
 * they hold exactly wherever its requests are answered), the channel it is in and the node that
 * owns that channel, and every owner that has met it and must hear when it closes.
 */
final class EdgeSocket {
  final String client;
  private final TokenBucket chat;
  private final TokenBucket signal;
  private final TokenBucket request;

  /** The channel the socket is in (watching, waiting or broadcasting), or null. */
  String channel;

  /** The node that owns {@link #channel}, or null. */
  String owner;

  /** A name the socket chose outside any channel, carried to the owner of its next channel. */
  String name;

  /** Every owner node that knows this socket's peer. */
  final Set<String> owners = new HashSet<>(2);

  EdgeSocket(String client, AppConfig config, long now) {
    this.client = client;
    this.chat = new TokenBucket(config.chatPerSecond(), config.chatBurst(), now);
    this.signal = new TokenBucket(config.signalPerSecond(), config.signalBurst(), now);
    this.request = new TokenBucket(config.requestPerSecond(), config.requestBurst(), now);
  }

  /** Takes one message of this kind from its budget; false when the budget is spent. */
  boolean charge(String address, long now) {
    TokenBucket budget =
        switch (address) {
          case Addresses.SIGNAL -> signal;
          case Addresses.CHAT -> chat;
          default -> request;
        };
    return budget.take(now);
  }

  void enter(String channelId, String ownerNode) {
    channel = channelId;
    owner = ownerNode;
    owners.add(ownerNode);
  }

  void exit() {
    channel = null;
    owner = null;
  }
}
