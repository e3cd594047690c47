package dev.airwave.http;

import dev.airwave.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Liveness and readiness in the form container platforms probe: {@code /health/live} answers while
 * the process serves HTTP; {@code /health/ready} (and {@code /health}) only when the registry
 * answers too and this node is not fenced off from its cluster, with 503 otherwise. Both carry the
 * node's view of the cluster.
 */
final class Health {
  private static final long REGISTRY_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final BridgeGuard guard;
  private final EdgeState node;

  Health(Vertx vertx, BridgeGuard guard, EdgeState node) {
    this.vertx = vertx;
    this.guard = guard;
    this.node = node;
  }

  void mount(Router router) {
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::onReady);
    router.get("/health").handler(this::onReady);
  }

  private void onReady(RoutingContext ctx) {
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.STATUS, null, new DeliveryOptions().setSendTimeout(REGISTRY_TIMEOUT_MS))
        .onSuccess(reply -> answer(ctx, reply.body()))
        .onFailure(
            err -> down(ctx, new JsonObject().put("reason", "the registry does not answer")));
  }

  private void answer(RoutingContext ctx, JsonObject status) {
    JsonObject cluster = status.getJsonObject("cluster");
    JsonObject health =
        new JsonObject()
            .put("channels", status.getInteger("channels"))
            .put("viewers", status.getInteger("viewers"))
            .put("sockets", guard.sockets())
            .put("cluster", cluster)
            .put("directory", status.getJsonObject("directory"));
    if (!node.warm()) {
      down(
          ctx, health.put("reason", "warming up: the node plays a few broadcasts to itself first"));
      return;
    }
    if (status.getBoolean("ready", true)) {
      ctx.json(new JsonObject().put("status", "UP").mergeIn(health));
      return;
    }
    down(
        ctx,
        health.put(
            "reason",
            "fenced: this node sees "
                + cluster.getInteger("members")
                + " cluster members, fewer than "
                + cluster.getInteger("minMembers")));
  }

  private static void down(RoutingContext ctx, JsonObject details) {
    ctx.response()
        .setStatusCode(503)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", "DOWN").mergeIn(details).encode());
  }
}
