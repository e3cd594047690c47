package dev.airwave.testing;

import dev.airwave.Service;
import dev.airwave.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** The real service on a free port of 127.0.0.1, started with test settings on a fresh Vert.x. */
public final class ServiceUnderTest implements AutoCloseable {
  private final Vertx vertx;
  private final Service service;

  private ServiceUnderTest(Vertx vertx, Service service) {
    this.vertx = vertx;
    this.service = service;
  }

  public static ServiceUnderTest start(JsonObject overrides) {
    JsonObject settings =
        new JsonObject().put("host", "127.0.0.1").put("port", 0).put("webroot", "webroot");
    AppConfig config = AppConfig.fromJson(settings.mergeIn(overrides));
    Vertx vertx = Vertx.vertx();
    try {
      return new ServiceUnderTest(vertx, Service.start(vertx, config).await());
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
  }

  public static ServiceUnderTest start() {
    return start(new JsonObject());
  }

  public int port() {
    return service.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Stops the service the way SIGTERM does, then its Vert.x. */
  @Override
  public void close() {
    try {
      service.stop().await();
    } finally {
      vertx.close().await();
    }
  }
}
