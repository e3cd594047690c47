package dev.airwave.registry;

/** What a broadcaster asks for when it starts a channel, once checked. */
record Broadcast(
    String peerId, String client, String name, String title, int maxViewers, boolean relay) {}
