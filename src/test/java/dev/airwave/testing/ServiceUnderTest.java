package dev.airwave.testing;

import dev.airwave.Service;
import dev.airwave.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** The real service on a free port of 127.0.0.1, started with test settings on its own Vert.x. */
public final class ServiceUnderTest implements AutoCloseable {
  private final Service service;
  private boolean closed;

  private ServiceUnderTest(Service service) {
    this.service = service;
  }

  /**
   * Every test client comes from 127.0.0.1, so tests that play many people raise the per-address
   * quotas; the tests of those quotas put the shipped values back ({@link #SHIPPED_QUOTAS}).
   */
  public static final JsonObject ONE_MACHINE_MANY_USERS =
      new JsonObject()
          .put("maxSocketsPerAddress", 100_000)
          .put("maxConnectionsPerAddress", 100_000)
          .put("maxChannelsPerAddress", 100_000)
          .put("maxViewersPerChannelPerAddress", 10_000)
          .put("maxWaitingIdsPerAddress", 100_000);

  /** The per-address quotas as shipped, for the tests that check them. */
  public static final JsonObject SHIPPED_QUOTAS = shipped();

  private static JsonObject shipped() {
    JsonObject defaults = AppConfig.defaults();
    JsonObject quotas = new JsonObject();
    ONE_MACHINE_MANY_USERS.fieldNames().forEach(key -> quotas.put(key, defaults.getValue(key)));
    return quotas;
  }

  public static ServiceUnderTest start(JsonObject overrides) {
    IntegrationRun.require("the real service");
    JsonObject settings =
        new JsonObject()
            .put("host", "127.0.0.1")
            .put("port", 0)
            .put("metricsPort", 0)
            .put("warmupMs", 0)
            .put("webroot", "webroot")
            .mergeIn(ONE_MACHINE_MANY_USERS);
    AppConfig config = AppConfig.fromJson(settings.mergeIn(overrides));
    return new ServiceUnderTest(
        Service.launch(config).toCompletionStage().toCompletableFuture().join());
  }

  public static ServiceUnderTest start() {
    return start(new JsonObject());
  }

  /**
   * For tests that drive the pages: hello asks them for their test hook, {@code
   * window.airwaveDebug} ({@code pageDebug}), unless the overrides say otherwise.
   */
  public static ServiceUnderTest startForPages(JsonObject overrides) {
    return start(new JsonObject().put("pageDebug", true).mergeIn(overrides));
  }

  public int port() {
    return service.port();
  }

  /** The operations port: metrics and health. */
  public int operationsPort() {
    return service.operationsPort();
  }

  /** The operations port's base URL: metrics and health. */
  public String operationsUrl() {
    return "http://127.0.0.1:" + operationsPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public Vertx vertx() {
    return service.vertx();
  }

  /** Stops the service the way SIGTERM does, then its Vert.x. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      service.stop().await();
    } finally {
      service.vertx().close().await();
    }
  }
}
