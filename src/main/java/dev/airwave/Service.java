package dev.airwave;

import dev.airwave.config.AppConfig;
import dev.airwave.http.HttpVerticle;
import dev.airwave.registry.RegistryVerticle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * One running node: a Vert.x instance (with Micrometer metrics when enabled), the registry, then
 * the HTTP edge; stopped in the reverse order so members learn why their channels end.
 */
public final class Service {
  private static final long FLUSH_MS = 200;

  private final Vertx vertx;
  private final HttpVerticle http;
  private final RegistryVerticle registry;
  private String registryId;
  private String httpId;

  private Service(Vertx vertx, MeterRegistry meters, PrometheusMeterRegistry prometheus) {
    this.vertx = vertx;
    this.registry = new RegistryVerticle(meters);
    this.http = new HttpVerticle(prometheus);
  }

  /** Creates the node's Vert.x and deploys the service on it. */
  public static Future<Service> launch(AppConfig config) {
    if (!config.metricsEnabled()) {
      return start(Vertx.vertx(), new CompositeMeterRegistry(), null, config);
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(metrics))
            .withMetrics(new MicrometerMetricsFactory(prometheus))
            .build();
    return start(vertx, prometheus, prometheus, config);
  }

  private static Future<Service> start(
      Vertx vertx, MeterRegistry meters, PrometheusMeterRegistry prometheus, AppConfig config) {
    Service service = new Service(vertx, meters, prometheus);
    DeploymentOptions options = new DeploymentOptions().setConfig(config.toJson());
    return vertx
        .deployVerticle(service.registry, options)
        .compose(
            id -> {
              service.registryId = id;
              return vertx.deployVerticle(service.http, options);
            })
        .map(
            id -> {
              service.httpId = id;
              return service;
            })
        .recover(
            failure -> {
              // Fail at once: waiting for close would resume on an event loop that close stops.
              vertx.close();
              return Future.failedFuture(failure);
            });
  }

  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return http.actualPort();
  }

  /** The operations port: metrics and health. */
  public int operationsPort() {
    return http.operationsPort();
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
