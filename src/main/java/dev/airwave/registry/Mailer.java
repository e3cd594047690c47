package dev.airwave.registry;

import io.vertx.core.json.JsonObject;

/** Where the registry's outgoing messages go: a peer's inbox, or the public channel list. */
public interface Mailer {
  void send(String peerId, JsonObject message);

  /** The channel list or a viewer count changed; an update is due. */
  void changed();
}
