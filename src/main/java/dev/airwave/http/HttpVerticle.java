package dev.airwave.http;

import dev.airwave.bus.Addresses;
import dev.airwave.config.AppConfig;
import dev.airwave.net.ClientAddresses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge: serves the pages, health, metrics and the SockJS event-bus bridge, over HTTPS when
 * a certificate is there, with an optional redirect from plain HTTP.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  /** How long a closed WebSocket waits for the client's close frame before dropping TCP. */
  private static final int WEBSOCKET_CLOSING_TIMEOUT_SECONDS = 3;

  /**
   * Request headers larger than this are refused with 431 (Vert.x's own default, made explicit).
   */
  private static final int MAX_HEADER_BYTES = 8192;

  private static final int MAIN_ANY_PORT = -1;
  private static final int OPERATIONS_ANY_PORT = -2;
  private static final int WARMUP_ANY_PORT = -3;
  private static final String LOOPBACK = "127.0.0.1";

  private static final String SOCKJS_WEBJAR = "META-INF/resources/webjars/sockjs-client/1.6.1/dist";

  private final PrometheusMeterRegistry prometheus;
  private final EdgeState shared;
  private AppConfig settings;
  private BridgeGuard guard;
  private ClientAddresses addresses;
  private ConnectionGuard connections;
  private EdgeMetrics refusals;
  private Tls tls;
  private HttpServer server;
  private HttpServer warmupServer;
  private Router router;
  private final boolean warmsUpFirst;
  private HttpServer operations;

  /**
   * @param prometheus the registry to expose at /metrics, or null when metrics are off
   */
  public HttpVerticle(PrometheusMeterRegistry prometheus) {
    this(prometheus, new EdgeState(), false);
  }

  /**
   * @param prometheus the registry to expose at /metrics, or null when metrics are off
   * @param shared what this node's edge instances share
   * @param warmsUpFirst whether, when the settings ask for a warm-up, the main port waits for
   *     {@link #openToPublic()} while the warm-up plays against a loopback port of its own
   */
  public HttpVerticle(PrometheusMeterRegistry prometheus, EdgeState shared, boolean warmsUpFirst) {
    this.prometheus = prometheus;
    this.shared = shared;
    this.warmsUpFirst = warmsUpFirst;
  }

  @Override
  public Future<?> start() {
    settings = AppConfig.fromJson(config());
    tls = Tls.resolve(settings, Path.of("").toAbsolutePath());
    refusals = new EdgeMetrics(prometheus);
    addresses = new ClientAddresses(settings.trustedProxies());
    guard = new BridgeGuard(vertx, settings, addresses, shared.sockets, refusals);
    connections = new ConnectionGuard(vertx, settings, addresses, shared.connections, refusals);
    Router router = Router.router(vertx);
    router.route().handler(connections::onRequest);
    SecurityHeaders.mount(router, tls.enabled());
    new Health(vertx, guard, shared).mount(router);
    router
        .route("/eventbus/*")
        .handler(new OriginGuard(settings.allowedOrigins(), addresses, tls.enabled()));
    router
        .route(HttpMethod.POST, "/eventbus/*")
        .handler(BodyHandler.create(false).setBodyLimit(settings.maxFrameBytes()));
    router.route("/eventbus/*").subRouter(bridge());
    router.route("/vendor/sockjs/*").handler(StaticHandler.create(SOCKJS_WEBJAR));
    router.route().handler(pages());
    this.router = router;
    List<Future<?>> servers = new ArrayList<>();
    servers.add(operationsServer());
    if (warmsUpFirst && settings.warmupMs() > 0) {
      // Only the warm-up reaches the node until it is warm: a crowd that arrives while the JIT
      // is still compiling waits seconds for what a warm node answers in milliseconds.
      servers.add(
          newServer()
              .listen(WARMUP_ANY_PORT, LOOPBACK)
              .onSuccess(listening -> warmupServer = listening));
    } else {
      servers.add(listenPublic());
    }
    return Future.all(servers);
  }

  /** The main port (and the redirect port), for everyone. */
  private Future<?> listenPublic() {
    return Future.all(
        newServer()
            .listen(sharedPort(settings.port(), MAIN_ANY_PORT), settings.host())
            .onSuccess(this::onListening),
        redirectServer());
  }

  /** A server for pages and the bridge, behind the connection guard. */
  private HttpServer newServer() {
    return vertx
        .createHttpServer(serverOptions())
        .connectionHandler(connections)
        .requestHandler(router);
  }

  /**
   * Once the warm-up is over: listens on the main port, on this instance's event loop, and closes
   * the warm-up's port. Does nothing when the main port is already open.
   */
  public Future<Void> openToPublic() {
    if (server != null) {
      return Future.succeededFuture();
    }
    Promise<Void> opened = Promise.promise();
    context.runOnContext(
        v ->
            listenPublic()
                .compose(
                    listening ->
                        warmupServer == null ? Future.succeededFuture() : warmupServer.close())
                .<Void>mapEmpty()
                .onComplete(opened));
    return opened.future();
  }

  /** The port the warm-up plays against: loopback only, before the main port opens. */
  public int warmupPort() {
    return warmupServer != null ? warmupServer.actualPort() : server.actualPort();
  }

  /**
   * The port to listen on: the configured one, or for 0 ("any free port") a negative port, which
   * Vert.x reads as one free port shared by every instance of this verticle.
   */
  private static int sharedPort(int configured, int anyPort) {
    return configured == 0 ? anyPort : configured;
  }

  /** The port the server listens on, known once started (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** Whether the main port speaks HTTPS. */
  public boolean tls() {
    return tls.enabled();
  }

  /** The operations port (metrics and health), known once started. */
  public int operationsPort() {
    return operations.actualPort();
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
    return new BridgeTransports(
            vertx, options, settings.maxFrameBytes(), refusals, connections::closed)
        .router(new EventBusBridgeImpl(vertx, null, bridge, guard));
  }

  private StaticHandler pages() {
    Path root = Path.of(settings.webroot());
    StaticHandler handler =
        root.isAbsolute()
            ? StaticHandler.create(FileSystemAccess.ROOT, settings.webroot())
            : StaticHandler.create(settings.webroot());
    return handler.setMaxAgeSeconds(0).setIncludeHidden(false);
  }

  private HttpServerOptions serverOptions() {
    HttpServerOptions options =
        new HttpServerOptions()
            .setMaxWebSocketFrameSize(settings.maxFrameBytes())
            .setMaxWebSocketMessageSize(settings.maxFrameBytes())
            .setWebSocketClosingTimeout(WEBSOCKET_CLOSING_TIMEOUT_SECONDS)
            .setIdleTimeout(settings.connectionIdleSeconds())
            .setMaxHeaderSize(MAX_HEADER_BYTES)
            .setHttp2ClearTextEnabled(false)
            .setSslHandshakeTimeout(settings.headerTimeoutSeconds())
            // Every request and response is handled on its connection's event loop, so the
            // connection writes directly instead of through a queue for other threads: that
            // queue is a 4 kB array per connection, a quarter of an idle viewer's memory.
            .setStrictThreadMode(true);
    tls.apply(options);
    return options;
  }

  /** Metrics and health on their own plain-HTTP port, loopback by default. */
  private Future<?> operationsServer() {
    Router router = Router.router(vertx);
    new Health(vertx, guard, shared).mount(router);
    if (prometheus != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setIdleTimeout(settings.connectionIdleSeconds())
                .setHttp2ClearTextEnabled(false))
        .requestHandler(router)
        .listen(sharedPort(settings.metricsPort(), OPERATIONS_ANY_PORT), settings.metricsHost())
        .onSuccess(
            s -> {
              operations = s;
              LOG.info(
                  "metrics and health on http://{}:{}", settings.metricsHost(), s.actualPort());
            });
  }

  private Future<?> redirectServer() {
    if (settings.httpRedirectPort() == 0) {
      return Future.succeededFuture();
    }
    if (!tls.enabled()) {
      LOG.warn("httpRedirectPort is set but HTTPS is off, so nothing is redirected");
      return Future.succeededFuture();
    }
    HttpsRedirect redirect =
        new HttpsRedirect(settings.publicHost(), knownHosts(), () -> server.actualPort());
    Router router = Router.router(vertx);
    router.route().handler(connections::onRequest);
    router.route().handler(ctx -> redirect.handle(ctx.request()));
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setIdleTimeout(settings.connectionIdleSeconds())
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setHttp2ClearTextEnabled(false))
        .connectionHandler(connections)
        .requestHandler(router)
        .listen(settings.httpRedirectPort(), settings.host())
        .onSuccess(
            s -> LOG.info("redirecting http://{}:{} to HTTPS", settings.host(), s.actualPort()));
  }

  /** The hosts the redirect accepts from a request when no public host is configured. */
  private Set<String> knownHosts() {
    Set<String> hosts = new HashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    if (!settings.host().equals("0.0.0.0") && !settings.host().equals("::")) {
      hosts.add(settings.host().toLowerCase(Locale.ROOT));
    }
    for (String origin : settings.allowedOrigins()) {
      hosts.add(URI.create(origin).getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", ""));
    }
    return hosts;
  }

  private void onListening(HttpServer listening) {
    server = listening;
    String scheme = tls.enabled() ? "https" : "http";
    LOG.info(
        "serving {} on {}://{}:{} because {}",
        tls.enabled() ? "HTTPS" : "plain HTTP",
        scheme,
        settings.host(),
        listening.actualPort(),
        tls.reason());
  }
}
