package dev.airwave.registry;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.List;

/**
 * Broadcast credentials: short-lived JWTs signed (HS256) with the {@code broadcastSecret} setting,
 * which an operator's backend mints (or {@code java -jar airwave.jar token}); each may name the one
 * channel id it allows. Without a secret anyone may broadcast.
 */
public final class BroadcastCredentials {
  static final String AUDIENCE = "airwave-broadcast";
  static final String CHANNEL_CLAIM = "channel";
  private static final int MAX_CHARS = 4096;
  private static final String ALGORITHM = "HS256";

  private final JWTAuth auth;

  public BroadcastCredentials(Vertx vertx, String secret) {
    this.auth =
        secret.isEmpty()
            ? null
            : JWTAuth.create(
                vertx,
                new JWTAuthOptions()
                    .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(secret))
                    .setJWTOptions(new JWTOptions().setAudience(List.of(AUDIENCE))));
  }

  /** What the {@code credential} field of a create request allows. */
  public Future<Grant> grant(Object body) {
    if (auth == null) {
      return Future.succeededFuture(Grant.OPEN);
    }
    Object credential = body instanceof JsonObject json ? json.getValue("credential") : null;
    if (credential == null) {
      return Future.succeededFuture(Grant.MISSING);
    }
    if (!(credential instanceof String token) || token.isEmpty() || token.length() > MAX_CHARS) {
      return Future.succeededFuture(Grant.INVALID);
    }
    return auth.authenticate(new TokenCredentials(token))
        .map(BroadcastCredentials::toGrant)
        .otherwise(Grant.INVALID);
  }

  private static Grant toGrant(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken");
    if (claims == null || !(claims.getValue("exp") instanceof Number)) {
      return Grant.INVALID;
    }
    Object channel = claims.getValue(CHANNEL_CLAIM);
    if (channel != null
        && !(channel instanceof String id && Text.CHANNEL_ID.matcher(id).matches())) {
      return Grant.INVALID;
    }
    Object subject = claims.getValue("sub");
    return Grant.valid((String) channel, subject instanceof String s ? s : null);
  }

  /** A credential valid for {@code ttlSeconds}, for one channel id or (null) for any. */
  public String mint(String channel, String subject, int ttlSeconds) {
    if (auth == null) {
      throw new IllegalStateException("no broadcastSecret is set");
    }
    JsonObject claims = new JsonObject();
    if (channel != null) {
      claims.put(CHANNEL_CLAIM, Text.channelId(channel));
    }
    if (subject != null) {
      claims.put("sub", subject);
    }
    return auth.generateToken(
        claims,
        new JWTOptions()
            .setAlgorithm(ALGORITHM)
            .setExpiresInSeconds(ttlSeconds)
            .setAudience(List.of(AUDIENCE)));
  }
}
