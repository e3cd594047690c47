package dev.airwave.http;

import dev.airwave.bus.Addresses;
import dev.airwave.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP edge: serves the pages, {@code /health} and the SockJS event-bus bridge. */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  private static final String SOCKJS_WEBJAR = "META-INF/resources/webjars/sockjs-client/1.6.1/dist";

  private AppConfig settings;
  private BridgeGuard guard;
  private HttpServer server;

  @Override
  public Future<?> start() {
    settings = AppConfig.fromJson(config());
    guard = new BridgeGuard(vertx);
    Router router = Router.router(vertx);
    router.get("/health").handler(this::onHealth);
    router.route("/eventbus/*").handler(new OriginGuard(settings.allowedOrigins()));
    router
        .route(HttpMethod.POST, "/eventbus/*")
        .handler(BodyHandler.create(false).setBodyLimit(settings.maxFrameBytes()));
    router.route("/eventbus/*").subRouter(bridge());
    router.route("/vendor/sockjs/*").handler(StaticHandler.create(SOCKJS_WEBJAR));
    router.route().handler(pages());
    return vertx
        .createHttpServer(serverOptions())
        .requestHandler(router)
        .listen(settings.port(), settings.host())
        .onSuccess(this::onListening);
  }

  /** The port the server listens on, known once started (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private Router bridge() {
    SockJSHandlerOptions options =
        new SockJSHandlerOptions()
            .setLibraryURL("/vendor/sockjs/sockjs.min.js")
            .setInsertJSESSIONID(false)
            .setMaxBytesStreaming(settings.maxFrameBytes() * 4);
    SockJSBridgeOptions bridge =
        new SockJSBridgeOptions()
            .setPingTimeout(settings.pingTimeoutMs())
            .setMaxHandlersPerSocket(settings.maxHandlersPerSocket())
            .setMaxAddressLength(64)
            .setReplyTimeout(10_000)
            .setInboundPermitteds(
                Addresses.INBOUND.stream().map(a -> new PermittedOptions().setAddress(a)).toList())
            .setOutboundPermitteds(
                List.of(
                    new PermittedOptions().setAddressRegex(Addresses.INBOX_REGEX),
                    new PermittedOptions().setAddress(Addresses.CHANNELS)));
    return SockJSHandler.create(vertx, options).bridge(bridge, guard);
  }

  private StaticHandler pages() {
    Path root = Path.of(settings.webroot());
    StaticHandler handler =
        root.isAbsolute()
            ? StaticHandler.create(FileSystemAccess.ROOT, settings.webroot())
            : StaticHandler.create(settings.webroot());
    return handler.setMaxAgeSeconds(0);
  }

  private HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setMaxWebSocketFrameSize(settings.maxFrameBytes())
        .setMaxWebSocketMessageSize(settings.maxFrameBytes());
  }

  private void onListening(HttpServer listening) {
    server = listening;
    LOG.info("listening on http://{}:{}", settings.host(), listening.actualPort());
  }

  private void onHealth(RoutingContext ctx) {
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.STATUS, null, new DeliveryOptions().setSendTimeout(2000))
        .onSuccess(
            reply ->
                ctx.json(reply.body().copy().put("status", "UP").put("sockets", guard.sockets())))
        .onFailure(
            err ->
                ctx.response()
                    .setStatusCode(503)
                    .putHeader("content-type", "application/json")
                    .end(
                        new JsonObject().put("status", "DOWN").put("reason", "registry").encode()));
  }
}
