package dev.airwave.http;

import dev.airwave.logging.ClientLogFilter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.ProtocolUpgradeHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SockJS routes in front of the bridge: only transports whose requests carry the page's {@code
 * Origin} (WebSocket, and XHR, which is POST), no {@code iframe.html} for other sites to frame,
 * both WebSocket endpoints served by {@link BridgeWebSocket}, and every socket screened.
 */
final class BridgeTransports {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeTransports.class);
  private static final String IFRAME = "\\/iframe[^\\/]*\\.html";
  private static final String SOCKJS_WEBSOCKET = "\\/[^\\/\\.]+\\/[^\\/\\.]+\\/websocket";

  private final Vertx vertx;
  private final SockJSHandlerOptions options;
  private final int maxMessageBytes;

  /** Told when an upgraded connection closes, which its own close handler no longer reports. */
  private final Handler<HttpConnection> upgradedClosed;

  private final EdgeMetrics refusals;

  /**
   * @param options the SockJS options; transports other than WebSocket and XHR are turned off here
   */
  BridgeTransports(
      Vertx vertx,
      SockJSHandlerOptions options,
      int maxMessageBytes,
      EdgeMetrics refusals,
      Handler<HttpConnection> upgradedClosed) {
    this.vertx = vertx;
    this.upgradedClosed = upgradedClosed;
    this.refusals = refusals;
    this.options =
        options
            .addDisabledTransport(Transport.EVENT_SOURCE.toString())
            .addDisabledTransport(Transport.HTML_FILE.toString())
            .addDisabledTransport(Transport.JSON_P.toString());
    this.maxMessageBytes = maxMessageBytes;
    ClientLogFilter.install();
  }

  /** The routes to mount under the bridge's path, each socket handed to {@code bridge}. */
  Router router(Handler<SockJSSocket> bridge) {
    Router router =
        SockJSHandler.create(vertx, options)
            .socketHandler(socket -> bridge.handle(new ScreenedSocket(vertx, socket, refusals)));
    router.getWithRegex(IFRAME).order(-3).handler(ctx -> ctx.response().setStatusCode(404).end());
    router
        .get("/websocket")
        .order(-2)
        .handler((ProtocolUpgradeHandler) ctx -> onUpgrade(ctx, Framing.RAW, bridge));
    router
        .getWithRegex(SOCKJS_WEBSOCKET)
        .order(-1)
        .handler((ProtocolUpgradeHandler) ctx -> onUpgrade(ctx, Framing.SOCKJS, bridge));
    return router;
  }

  private void onUpgrade(RoutingContext ctx, Framing framing, Handler<SockJSSocket> bridge) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      ctx.response().setStatusCode(400).end("Can \"Upgrade\" only to \"WebSocket\".");
      return;
    }
    HttpConnection connection = ctx.request().connection();
    ctx.request()
        .toWebSocket()
        .onSuccess(ws -> bridge.handle(screened(ctx, ws, framing, connection)))
        .onFailure(err -> onUpgradeFailed(ctx, err));
  }

  private SockJSSocket screened(
      RoutingContext ctx, ServerWebSocket ws, Framing framing, HttpConnection connection) {
    BridgeWebSocket socket =
        new BridgeWebSocket(
            vertx,
            ctx,
            options,
            ws,
            framing,
            maxMessageBytes,
            closed -> upgradedClosed.handle(connection));
    return new ScreenedSocket(vertx, socket, refusals);
  }

  private void onUpgradeFailed(RoutingContext ctx, Throwable err) {
    LOG.debug(
        "WebSocket upgrade from {} failed: {}", ctx.request().remoteAddress(), err.toString());
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(400).end();
    }
  }
}
