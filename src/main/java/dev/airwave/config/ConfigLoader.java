package dev.airwave.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the settings once at start: embedded defaults, then the JSON file, then environment
 * variables ({@code AIRWAVE_MAX_CHANNELS} for {@code maxChannels}), each overriding the one before.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "AIRWAVE_";

  private ConfigLoader() {}

  public static Future<AppConfig> load(Vertx vertx, String file) {
    ConfigStoreOptions fileStore =
        new ConfigStoreOptions()
            .setType("file")
            .setOptional(true)
            .setConfig(new JsonObject().put("path", file));
    ConfigRetriever retriever =
        ConfigRetriever.create(
            vertx, new ConfigRetrieverOptions().setIncludeDefaultStores(false).addStore(fileStore));
    return retriever
        .getConfig()
        .eventually(retriever::close)
        .map(fromFile -> fromFile.mergeIn(fromEnvironment(System.getenv())))
        .map(AppConfig::fromJson);
  }

  /** The environment variables that name a setting, converted to that setting's type. */
  public static JsonObject fromEnvironment(Map<String, String> env) {
    JsonObject settings = new JsonObject();
    Set<String> known = new HashSet<>(Set.of("AIRWAVE_CONFIG", "AIRWAVE_LOG_LEVEL"));
    AppConfig.defaults().fieldNames().forEach(key -> known.add(envName(key)));
    env.keySet().stream()
        .filter(name -> name.startsWith(ENV_PREFIX) && !known.contains(name))
        .findFirst()
        .ifPresent(
            name -> {
              throw new ConfigException("unknown environment variable " + name);
            });
    AppConfig.defaults()
        .forEach(
            entry -> {
              String value = env.get(envName(entry.getKey()));
              if (value != null) {
                settings.put(entry.getKey(), convert(entry.getKey(), entry.getValue(), value));
              }
            });
    return settings;
  }

  public static String envName(String key) {
    return ENV_PREFIX + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private static Object convert(String key, Object example, String value) {
    try {
      if (example instanceof Integer) {
        return Integer.parseInt(value.trim());
      }
      if (example instanceof Double) {
        return Double.parseDouble(value.trim());
      }
      if (example instanceof JsonArray) {
        return value.trim().startsWith("[") ? new JsonArray(value) : commaList(value);
      }
      return value;
    } catch (NumberFormatException | DecodeException e) {
      throw new ConfigException(
          "environment variable " + envName(key) + " has an invalid value for \"" + key + "\"");
    }
  }

  private static JsonArray commaList(String value) {
    JsonArray list = new JsonArray();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        list.add(part.trim());
      }
    }
    return list;
  }
}
