package dev.airwave;

import dev.airwave.config.AppConfig;
import dev.airwave.config.ConfigException;
import dev.airwave.config.ConfigLoader;
import dev.airwave.registry.BroadcastCredentials;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar airwave.jar token [--channel ID] [--ttl SECONDS] [--subject WHO] [settings]}:
 * prints a broadcast credential signed with the configured {@code broadcastSecret}, for an operator
 * who hands credentials out by hand (a backend mints the same JWTs with any JWT library).
 */
final class TokenCommand {
  static final String NAME = "token";
  private static final int DEFAULT_TTL = 3600;
  private static final int MAX_TTL = 7 * 24 * 3600;
  private static final String USAGE =
      "usage: airwave token [--channel ID] [--ttl SECONDS (60-"
          + MAX_TTL
          + ")] [--subject WHO] [settings.json]";

  private TokenCommand() {}

  static int run(String[] args) {
    String channel = null;
    String subject = null;
    int ttl = DEFAULT_TTL;
    List<String> rest = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--channel" -> channel = args[++i];
          case "--subject" -> subject = args[++i];
          case "--ttl" -> ttl = Integer.parseInt(args[++i]);
          default -> rest.add(args[i]);
        }
      }
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      System.err.println(USAGE);
      return 2;
    }
    if (ttl < 60 || ttl > MAX_TTL || rest.size() > 1) {
      System.err.println(USAGE);
      return 2;
    }
    return print(Main.configFile(rest.toArray(String[]::new)), channel, subject, ttl);
  }

  private static int print(String file, String channel, String subject, int ttl) {
    AppConfig config;
    try {
      config = ConfigLoader.load(Path.of(file));
    } catch (ConfigException e) {
      System.err.println("airwave: cannot mint a token: " + e.getMessage());
      return 2;
    }
    if (config.broadcastSecret().isEmpty()) {
      System.err.println(
          "airwave: cannot mint a token: broadcastSecret is not set, so anyone may broadcast");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      System.out.println(
          new BroadcastCredentials(vertx, config.broadcastSecret()).mint(channel, subject, ttl));
      return 0;
    } catch (RuntimeException e) {
      System.err.println("airwave: cannot mint a token: " + e.getMessage());
      return 2;
    } finally {
      vertx.close();
    }
  }
}
