package dev.airwave.registry;

import io.vertx.core.Vertx;
import io.vertx.ext.auth.prng.VertxContextPRNG;

/** Identifiers drawn from Vert.x's secure PRNG, in unpadded base64url. */
public final class SecureIds implements Ids {
  private final Vertx vertx;

  public SecureIds(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public String channelId() {
    return VertxContextPRNG.current(vertx).nextString(6);
  }

  @Override
  public String resumeToken() {
    return VertxContextPRNG.current(vertx).nextString(24);
  }

  /** A peer id: 16 bytes, 22 characters. */
  public static String peerId(Vertx vertx) {
    return VertxContextPRNG.current(vertx).nextString(16);
  }
}
