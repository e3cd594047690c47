package dev.airwave;

import dev.airwave.config.AppConfig;
import dev.airwave.http.HttpVerticle;
import dev.airwave.registry.RegistryVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** The running service on one Vert.x instance: the registry first, then the HTTP edge. */
public final class Service {
  private static final long FLUSH_MS = 200;

  private final Vertx vertx;
  private final HttpVerticle http;
  private String registryId;
  private String httpId;

  private Service(Vertx vertx) {
    this.vertx = vertx;
    this.http = new HttpVerticle();
  }

  public static Future<Service> start(Vertx vertx, AppConfig config) {
    Service service = new Service(vertx);
    DeploymentOptions options = new DeploymentOptions().setConfig(config.toJson());
    return vertx
        .deployVerticle(new RegistryVerticle(), options)
        .compose(
            id -> {
              service.registryId = id;
              return vertx.deployVerticle(service.http, options);
            })
        .map(
            id -> {
              service.httpId = id;
              return service;
            });
  }

  public int port() {
    return http.actualPort();
  }

  /** Ends every channel (members are told why), lets those messages out, then stops serving. */
  public Future<Void> stop() {
    return vertx.undeploy(registryId).compose(v -> pause()).compose(v -> vertx.undeploy(httpId));
  }

  private Future<Void> pause() {
    Promise<Void> paused = Promise.promise();
    vertx.setTimer(FLUSH_MS, timer -> paused.complete());
    return paused.future();
  }
}
