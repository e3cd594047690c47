package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.airwave.config.AppConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ICE servers handed to a page")
class IceServersTest {
  private static final String PEER = "peerAAAAAAAAAAAAAAAAAA";
  private static final JsonObject STUN = new JsonObject().put("urls", "stun:127.0.0.1:3478");

  private static IceServers servers(JsonObject settings) {
    return new IceServers(AppConfig.fromJson(settings));
  }

  @Test
  @DisplayName("configured servers are passed on as they are, static credentials included")
  void configuredServersAsTheyAre() {
    JsonObject staticTurn =
        new JsonObject()
            .put("urls", "turn:turn.example:3478")
            .put("username", "u")
            .put("credential", "p");
    JsonArray configured = new JsonArray().add(STUN).add(staticTurn);
    assertEquals(
        configured, servers(new JsonObject().put("iceServers", configured)).forPeer(PEER, 0));
  }

  @Test
  @DisplayName(
      "TURN gets a short-lived credential: <expiry>:<peer id>, base64 HMAC-SHA1 by the secret")
  void turnRestCredential() {
    IceServers servers =
        servers(
            new JsonObject()
                .put("iceServers", new JsonArray().add(STUN))
                .put("turnUrls", new JsonArray().add("turn:127.0.0.1:3478?transport=udp"))
                .put("turnSecret", "s3cret")
                .put("turnCredentialTtlSeconds", 3600));
    JsonArray handed = servers.forPeer(PEER, (1_764_090_000L - 3600) * 1000 + 999);
    assertEquals(STUN, handed.getJsonObject(0));
    JsonObject turn = handed.getJsonObject(1);
    assertEquals("turn:127.0.0.1:3478?transport=udp", turn.getJsonArray("urls").getString(0));
    assertEquals("1764090000:" + PEER, turn.getString("username"));
    // computed independently with: printf %s "$username" | openssl dgst -sha1 -hmac s3cret -binary
    // | base64
    assertEquals("WEDVLd/JQ6KxcI5tqm4N+3JT/aI=", turn.getString("credential"));
    assertEquals(2, handed.size());
  }

  @Test
  @DisplayName("the shared secret never appears in what a page receives")
  void secretStaysOnTheServer() {
    IceServers servers =
        servers(
            new JsonObject()
                .put("turnUrls", new JsonArray().add("turn:127.0.0.1:3478"))
                .put("turnSecret", "very-secret-value"));
    assertEquals(false, servers.forPeer(PEER, 0).encode().contains("very-secret-value"));
  }
}
