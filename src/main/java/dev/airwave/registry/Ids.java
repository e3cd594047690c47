package dev.airwave.registry;

/** The registry's source of unguessable identifiers. */
public interface Ids {
  /** Eight characters of {@code [A-Za-z0-9_-]}. */
  String channelId();

  /** A secret of 32 characters that lets a broadcaster take its channel back. */
  String resumeToken();
}
