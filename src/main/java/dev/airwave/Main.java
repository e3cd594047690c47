package dev.airwave;

import dev.airwave.config.AppConfig;
import dev.airwave.config.ConfigException;
import dev.airwave.config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the service: reads the settings once, deploys it, and stops it gracefully on SIGTERM.
 * Arguments: an optional settings file, and {@code -cluster} to join a cluster.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final String DEFAULT_CONFIG = "conf/config.json";

  /** Turns clustering on, like {@code clusterEnabled}. */
  static final String CLUSTER_FLAG = "-cluster";

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && TokenCommand.NAME.equals(args[0])) {
      System.exit(TokenCommand.run(Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    if (args.length > 0 && TrainCommand.NAME.equals(args[0])) {
      System.exit(TrainCommand.run(Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    JsonObject flags = new JsonObject();
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    if (rest.remove(CLUSTER_FLAG)) {
      flags.put("clusterEnabled", true);
    }
    String file = configFile(rest.toArray(String[]::new));
    Service service;
    try {
      AppConfig config = ConfigLoader.load(Path.of(file), flags);
      service = Service.launch(config).toCompletionStage().toCompletableFuture().join();
    } catch (ConfigException e) {
      System.err.println(
          "airwave: cannot start: " + e.getMessage() + " (" + file + " or the environment)");
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("airwave: cannot start: " + cause.getMessage());
      System.exit(1);
      return;
    }
    if (service.membership().clustered()) {
      LOG.info(
          "airwave ready on port {}, node {} of a cluster of {}",
          service.port(),
          service.membership().nodeId(),
          service.membership().members());
    } else {
      LOG.info("airwave ready on port {}", service.port());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(service), "shutdown"));
  }

  /** The settings file: the first argument, else {@code AIRWAVE_CONFIG}, else the default. */
  static String configFile(String[] args) {
    return args.length > 0
        ? args[0]
        : System.getenv().getOrDefault("AIRWAVE_CONFIG", DEFAULT_CONFIG);
  }

  private static void shutdown(Service service) {
    LOG.info("shutting down");
    try {
      service.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the service did not stop cleanly: {}", e.toString());
    }
    try {
      service.vertx().close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
    }
    LOG.info("stopped");
  }
}
