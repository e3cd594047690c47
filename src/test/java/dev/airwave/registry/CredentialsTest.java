package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.HonestBroadcast;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("With broadcastSecret set, only holders of a broadcast credential start channels")
class CredentialsTest extends ServiceTest {
  private static final String SECRET = "s3cret-for-tests-only-0123456789abcdef";

  @Override
  protected JsonObject settings() {
    return new JsonObject()
        .put("broadcastSecret", SECRET)
        .put("trustedProxies", new JsonArray().add("127.0.0.1"));
  }

  private BroadcastCredentials credentials() {
    return new BroadcastCredentials(service.vertx(), SECRET);
  }

  private String signed(String secret, JsonObject claims, JWTOptions options) {
    JWTAuth auth =
        JWTAuth.create(
            service.vertx(),
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    return auth.generateToken(claims, options.setAlgorithm("HS256"));
  }

  private static JWTOptions forBroadcast() {
    return new JWTOptions().setAudience(List.of("airwave-broadcast")).setExpiresInSeconds(600);
  }

  private static JsonObject create(String id, Object credential) {
    JsonObject body = new JsonObject().put("id", id);
    return credential == null ? body : body.put("credential", credential);
  }

  @Test
  @DisplayName("hello tells the page that a credential is needed")
  void helloSaysSo() {
    assertEquals(true, clients.ready().hello().getBoolean("broadcastCredential"));
  }

  @Test
  @DisplayName("a create without a credential is credential_required; with one it starts")
  void credentialRequired() {
    BridgeClient host = clients.ready();
    host.refusal("airwave.channel.create", create("cred1", null)).assertCode("credential_required");
    JsonObject reply =
        host.request(
            "airwave.channel.create", create("cred1", credentials().mint(null, "ops", 60)));
    assertTrue(reply.getJsonObject("channel").getBoolean("live"));
  }

  @Test
  @DisplayName(
      "forged, foreign, expired, unsigned, audience-less or endless credentials are refused")
  void badCredentialsAreRefused() {
    HonestBroadcast honest =
        HonestBroadcast.startFrom(
            clients, "cred-honest", credentials().mint("cred-honest", null, 60));
    BridgeClient host = clients.ready();
    String expired =
        signed(
            SECRET,
            new JsonObject().put("exp", System.currentTimeMillis() / 1000 - 60),
            new JWTOptions().setAudience(List.of("airwave-broadcast")));
    String unsignedHeader =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String valid = credentials().mint(null, null, 60);
    String unsigned = unsignedHeader + "." + valid.split("\\.")[1] + ".";
    for (Object bad :
        new Object[] {
          "garbage",
          "",
          42,
          "a.b.c",
          signed("another-secret-of-enough-length-0123456789", new JsonObject(), forBroadcast()),
          expired,
          unsigned,
          signed(SECRET, new JsonObject(), new JWTOptions().setExpiresInSeconds(600)),
          signed(
              SECRET, new JsonObject(), new JWTOptions().setAudience(List.of("airwave-broadcast"))),
          "x".repeat(5000)
        }) {
      host.refusal("airwave.channel.create", create("cred2", bad)).assertCode("bad_credential");
    }
    honest.assertEverythingArrived();
  }

  @Test
  @DisplayName(
      "a credential for one channel starts that channel only, and names it when no id is given")
  void channelBoundCredential() {
    String forShow = credentials().mint("show", "host of show", 60);
    BridgeClient host = clients.ready();
    host.refusal("airwave.channel.create", create("other", forShow)).assertCode("bad_credential");
    JsonObject reply =
        host.request("airwave.channel.create", new JsonObject().put("credential", forShow));
    assertEquals("show", reply.getJsonObject("channel").getString("id"));
  }

  @Test
  @DisplayName("viewers need no credential, and a broadcaster resumes without one")
  void viewersAndResumeNeedNone() {
    BridgeClient host = clients.ready();
    JsonObject created =
        host.request("airwave.channel.create", create("open", credentials().mint(null, null, 60)));
    BridgeClient viewer = clients.viewer("open", "Ann");
    host.close();
    viewer.next("broadcaster-away");
    BridgeClient back = clients.ready();
    back.request(
        "airwave.channel.resume",
        new JsonObject().put("id", "open").put("resumeToken", created.getString("resumeToken")));
    viewer.next("channel-live");
  }
}
