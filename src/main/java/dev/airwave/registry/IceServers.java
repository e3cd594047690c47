package dev.airwave.registry;

import dev.airwave.config.AppConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ICE servers a page is given: the configured ones as they are, plus the TURN servers with a
 * short-lived credential of the TURN REST scheme (coturn's {@code use-auth-secret}): the username
 * is {@code <expiry-unix-seconds>:<peer id>}, the password base64(HMAC-SHA1(secret, username)). The
 * shared secret never leaves the server.
 */
public final class IceServers {
  private final JsonArray configured;
  private final JsonArray turnUrls;
  private final byte[] secret;
  private final long ttlSeconds;

  public IceServers(AppConfig config) {
    this.configured = config.iceServers().copy();
    this.turnUrls = new JsonArray(config.turnUrls());
    this.secret = config.turnSecret().getBytes(StandardCharsets.UTF_8);
    this.ttlSeconds = config.turnCredentialTtlSeconds();
  }

  public JsonArray forPeer(String peerId, long nowMillis) {
    JsonArray servers = configured.copy();
    if (!turnUrls.isEmpty()) {
      String username = (nowMillis / 1000 + ttlSeconds) + ":" + peerId;
      servers.add(
          new JsonObject()
              .put("urls", turnUrls.copy())
              .put("username", username)
              .put("credential", password(secret, username)));
    }
    return servers;
  }

  public long ttlSeconds() {
    return ttlSeconds;
  }

  static String password(byte[] secret, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      byte[] digest = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA1 is part of every Java runtime", e);
    }
  }
}
