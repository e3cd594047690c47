package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.airwave.bus.Addresses;
import dev.airwave.cluster.Membership;
import dev.airwave.config.AppConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The registry verticle over its event-bus contract")
class RegistryVerticleTest {
  private static final String HOST = "hostAAAAAAAAAAAAAAAAAA";
  private static final String ANN = "annAAAAAAAAAAAAAAAAAAA";

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    JsonObject settings = AppConfig.fromJson(new JsonObject().put("listRefreshMs", 20)).toJson();
    vertx
        .deployVerticle(
            new RegistryVerticle(new SimpleMeterRegistry(), Membership.alone()),
            new DeploymentOptions().setConfig(settings))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Message<JsonObject>> request(
      Vertx vertx, String address, String peer, JsonObject body) {
    return vertx
        .eventBus()
        .request(address, body, new DeliveryOptions().addHeader(Addresses.PEER_HEADER, peer));
  }

  @Test
  @DisplayName("a join reaches the broadcaster's inbox, and the list is published")
  void joinReachesTheBroadcaster(Vertx vertx, VertxTestContext ctx) {
    Checkpoint joined = ctx.checkpoint();
    Checkpoint listed = ctx.checkpoint();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.inbox(HOST),
            message ->
                ctx.verify(
                    () -> {
                      if ("viewer-joined".equals(message.body().getString("type"))) {
                        assertEquals(
                            ANN, message.body().getJsonObject("viewer").getString("peerId"));
                        joined.flag();
                      }
                    }));
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.CHANNELS,
            message -> {
              if (message.body().getJsonArray("channels").size() == 1) {
                listed.flag();
              }
            });
    request(vertx, Addresses.CREATE, HOST, new JsonObject().put("id", "bus"))
        .compose(created -> request(vertx, Addresses.JOIN, ANN, new JsonObject().put("id", "bus")))
        .onComplete(
            ctx.succeeding(
                reply -> ctx.verify(() -> assertEquals("live", reply.body().getString("status")))));
  }

  @Test
  @DisplayName("a peer-gone message frees the viewer's place and tells the broadcaster")
  void peerGoneFreesThePlace(Vertx vertx, VertxTestContext ctx) {
    Checkpoint left = ctx.checkpoint();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.inbox(HOST),
            message ->
                ctx.verify(
                    () -> {
                      if ("viewer-left".equals(message.body().getString("type"))) {
                        assertEquals("disconnected", message.body().getString("reason"));
                        left.flag();
                      }
                    }));
    request(vertx, Addresses.CREATE, HOST, new JsonObject().put("id", "gone"))
        .compose(created -> request(vertx, Addresses.JOIN, ANN, new JsonObject().put("id", "gone")))
        .onComplete(
            ctx.succeeding(
                joined ->
                    vertx
                        .eventBus()
                        .send(
                            Addresses.PEER_GONE,
                            null,
                            new DeliveryOptions().addHeader(Addresses.PEER_HEADER, ANN))));
  }

  @Test
  @DisplayName(
      "a refusal carries its status and the wire code, and a request without identity is refused")
  void refusalsAreTyped(Vertx vertx, VertxTestContext ctx) {
    Checkpoint refused = ctx.checkpoint(2);
    request(vertx, Addresses.STOP, ANN, new JsonObject().put("id", "nope"))
        .onComplete(
            ctx.failing(
                err ->
                    ctx.verify(
                        () -> {
                          assertEquals(403, ((ReplyException) err).failureCode());
                          assertEquals("not_owner", err.getMessage().split(":")[0]);
                          refused.flag();
                        })));
    vertx
        .eventBus()
        .request(Addresses.HELLO, new JsonObject())
        .onComplete(
            ctx.failing(
                err ->
                    ctx.verify(
                        () -> {
                          assertEquals("bad_request", err.getMessage().split(":")[0]);
                          refused.flag();
                        })));
  }
}
