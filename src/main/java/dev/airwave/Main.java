package dev.airwave;

import dev.airwave.config.AppConfig;
import dev.airwave.config.ConfigException;
import dev.airwave.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the service: reads the settings once, deploys it, and stops it gracefully on SIGTERM. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final String DEFAULT_CONFIG = "conf/config.json";

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && TokenCommand.NAME.equals(args[0])) {
      System.exit(TokenCommand.run(Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    String file = configFile(args);
    Service service;
    try {
      AppConfig config = ConfigLoader.load(Path.of(file));
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
    LOG.info("airwave ready on port {}", service.port());
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
