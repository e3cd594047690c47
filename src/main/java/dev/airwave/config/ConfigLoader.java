package dev.airwave.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** Variables read elsewhere (by Main and by logback), not settings. */
  private static final Set<String> OTHER_VARIABLES =
      Set.of("AIRWAVE_CONFIG", "AIRWAVE_LOG_LEVEL", "AIRWAVE_LOG_FORMAT");

  private ConfigLoader() {}

  /** The settings from this file (absent is fine) and the process environment. */
  public static AppConfig load(Path file) {
    return load(file, new JsonObject());
  }

  /** The same, with settings from the command line on top of everything. */
  public static AppConfig load(Path file, JsonObject flags) {
    return AppConfig.fromJson(
        readFile(file).mergeIn(fromEnvironment(System.getenv())).mergeIn(flags));
  }

  static JsonObject readFile(Path file) {
    if (!Files.exists(file)) {
      return new JsonObject();
    }
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException(file + " is not a JSON object: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  /** The environment variables that name a setting, converted to that setting's type. */
  public static JsonObject fromEnvironment(Map<String, String> env) {
    JsonObject defaults = AppConfig.defaults();
    JsonObject settings = new JsonObject();
    Set<String> known = new HashSet<>(OTHER_VARIABLES);
    defaults.fieldNames().forEach(key -> known.add(envName(key)));
    env.keySet().stream()
        .filter(name -> name.startsWith(ENV_PREFIX) && !known.contains(name))
        .findFirst()
        .ifPresent(
            name -> {
              throw new ConfigException("unknown environment variable " + name);
            });
    defaults.forEach(
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
      if (example instanceof Boolean) {
        return parseBoolean(value.trim());
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

  private static boolean parseBoolean(String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new NumberFormatException(value);
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
