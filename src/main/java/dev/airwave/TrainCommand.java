package dev.airwave;

import dev.airwave.config.AppConfig;
import dev.airwave.config.ConfigException;
import dev.airwave.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -XX:AOTCacheOutput=airwave.aot -jar airwave.jar train [SECONDS] [settings]}: starts
 * the service alone on loopback ports of its own, lets its warm-up play broadcasts over the bridge
 * for SECONDS (20 by default), and stops. It is the training run of an ahead-of-time cache (Java 25
 * and later): the JVM records which classes load and how the hot methods behave, and a node started
 * with that cache compiles them before its first client instead of during a crowd's arrival. {@code
 * bin/airwave} runs it when the cache is missing or older than the jar.
 */
final class TrainCommand {
  static final String NAME = "train";
  private static final int DEFAULT_SECONDS = 20;
  private static final int MAX_SECONDS = 60;
  private static final String USAGE = "usage: airwave train [SECONDS (1-60)] [settings.json]";

  private TrainCommand() {}

  static int run(String[] args) {
    int seconds = DEFAULT_SECONDS;
    int next = 0;
    if (args.length > next && args[next].matches("[0-9]{1,2}")) {
      seconds = Integer.parseInt(args[next++]);
    }
    if (seconds < 1 || seconds > MAX_SECONDS || args.length > next + 1) {
      System.err.println(USAGE);
      return 2;
    }
    String file = args.length > next ? args[next] : Main.configFile(new String[0]);
    // The settings as a node would run them, but alone, on loopback ports nobody else uses, and
    // with the quotas of an address lifted, so that the crowd plays whatever the settings file
    // says (and from 127.0.0.1 alone where loopback has no other addresses).
    JsonObject flags =
        new JsonObject()
            .put("maxSocketsPerAddress", 1_000_000)
            .put("maxConnectionsPerAddress", 1_000_000)
            .put("maxChannelsPerAddress", 100_000)
            .put("maxViewersPerChannelPerAddress", 10_000)
            .put("maxViewersPerChannel", 10_000)
            .put("maxChannels", 100_000)
            .put("requestBurst", 100_000)
            .put("signalBurst", 100_000)
            .put("chatBurst", 100_000)
            .put("requestPerSecond", 100_000.0)
            .put("signalPerSecond", 100_000.0)
            .put("chatPerSecond", 100_000.0)
            .put("trustedProxies", new JsonArray())
            .put("host", "127.0.0.1")
            .put("port", 0)
            .put("metricsHost", "127.0.0.1")
            .put("metricsPort", 0)
            .put("httpRedirectPort", 0)
            .put("clusterEnabled", false)
            .put("warmupMs", seconds * 1000);
    AppConfig config;
    try {
      config = ConfigLoader.load(Path.of(file), flags);
    } catch (ConfigException e) {
      System.err.println("airwave: cannot train: " + e.getMessage() + " (" + file + ")");
      return 2;
    }
    try {
      Service service =
          Service.launch(config)
              .toCompletionStage()
              .toCompletableFuture()
              .get(seconds + 30L, TimeUnit.SECONDS);
      service.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      service.vertx().close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      return 0;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("airwave: training failed: " + cause);
      return 1;
    }
  }
}
