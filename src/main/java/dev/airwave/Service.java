package dev.airwave;

import dev.airwave.cluster.HazelcastCluster;
import dev.airwave.cluster.Membership;
import dev.airwave.config.AppConfig;
import dev.airwave.http.EdgeState;
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
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One running node: a Vert.x instance (clustered or alone, with Micrometer metrics when enabled),
 * the registry, then the HTTP edge; stopped in the reverse order so members learn why their
 * channels end.
 */
public final class Service {
  private static final long FLUSH_MS = 200;

  private final Vertx vertx;
  private final PrometheusMeterRegistry prometheus;
  private final EdgeState edgeState = new EdgeState();
  private final List<HttpVerticle> edges = new CopyOnWriteArrayList<>();
  private final RegistryVerticle registry;
  private final Membership membership;
  private String registryId;
  private String httpId;

  private Service(
      Vertx vertx,
      Membership membership,
      MeterRegistry meters,
      PrometheusMeterRegistry prometheus) {
    this.vertx = vertx;
    this.prometheus = prometheus;
    this.membership = membership;
    this.registry = new RegistryVerticle(meters, membership);
  }

  /** One more instance of the HTTP edge; the first one is kept to ask for the ports. */
  private HttpVerticle newEdge() {
    HttpVerticle edge = new HttpVerticle(prometheus, edgeState, true);
    edges.add(edge);
    return edge;
  }

  /**
   * Creates the node's Vert.x (clustered over Hazelcast when the settings say so, with Micrometer
   * metrics when enabled) and deploys the service on it.
   */
  public static Future<Service> launch(AppConfig config) {
    if (config.warmupMs() > 0) {
      // The main port opens only after the warm-up: a port already taken must stop the start
      // at once, not seconds later.
      Future<Void> free = portFree(config.host(), config.port());
      if (free.failed()) {
        return Future.failedFuture(free.cause());
      }
    }
    VertxOptions options = new VertxOptions();
    VertxBuilder builder = Vertx.builder();
    PrometheusMeterRegistry prometheus = null;
    MeterRegistry meters = new CompositeMeterRegistry();
    if (config.metricsEnabled()) {
      prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      meters = prometheus;
      options.setMetricsOptions(
          new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
      builder.withMetrics(new MicrometerMetricsFactory(prometheus));
    }
    MeterRegistry chosen = meters;
    PrometheusMeterRegistry scraped = prometheus;
    if (!config.clusterEnabled()) {
      return start(builder.with(options).build(), Membership.alone(), chosen, scraped, config);
    }
    HazelcastClusterManager manager = HazelcastCluster.manager(config);
    options.setEventBusOptions(HazelcastCluster.eventBus(config));
    return builder
        .with(options)
        .withClusterManager(manager)
        .buildClustered()
        .compose(
            vertx ->
                start(
                    vertx,
                    HazelcastCluster.membership(manager, config.clusterMinMembers()),
                    chosen,
                    scraped,
                    config));
  }

  private static Future<Service> start(
      Vertx vertx,
      Membership membership,
      MeterRegistry meters,
      PrometheusMeterRegistry prometheus,
      AppConfig config) {
    Service service = new Service(vertx, membership, meters, prometheus);
    DeploymentOptions options = new DeploymentOptions().setConfig(config.toJson());
    return vertx
        .deployVerticle(service.registry, options)
        .compose(
            id -> {
              service.registryId = id;
              return vertx.deployVerticle(
                  service::newEdge, new DeploymentOptions(options).setInstances(edgeCount(config)));
            })
        .compose(
            id -> {
              service.httpId = id;
              HttpVerticle edge = service.edges.get(0);
              return Warmup.run(vertx, edge.warmupPort(), edge.tls(), config);
            })
        .compose(
            warm -> Future.all(service.edges.stream().map(HttpVerticle::openToPublic).toList()))
        .map(
            warm -> {
              service.edgeState.warmedUp();
              return service;
            })
        .recover(
            failure -> {
              // Fail at once: waiting for close would resume on an event loop that close stops.
              vertx.close();
              return Future.failedFuture(failure);
            });
  }

  /** Whether this port can be bound now (a bind and close; port 0 is any port, always free). */
  private static Future<Void> portFree(String host, int port) {
    if (port == 0) {
      return Future.succeededFuture();
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
      return Future.succeededFuture();
    } catch (IOException e) {
      return Future.failedFuture(
          new BindException("port " + port + " on " + host + ": " + e.getMessage()));
    }
  }

  public Membership membership() {
    return membership;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** How many instances of the HTTP edge run: the setting, or one per core when it is 0. */
  private static int edgeCount(AppConfig config) {
    return config.edgeInstances() > 0
        ? config.edgeInstances()
        : Runtime.getRuntime().availableProcessors();
  }

  public int port() {
    return edges.get(0).actualPort();
  }

  /** The operations port: metrics and health. */
  public int operationsPort() {
    return edges.get(0).operationsPort();
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
