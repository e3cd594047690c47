package dev.airwave.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.airwave.net.ClientAddresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.net.URI;
import java.util.regex.Pattern;

/** Turns merged settings into an {@link AppConfig}, refusing unknown keys and bad values. */
final class ConfigParser {
  private static final ObjectMapper MAPPER =
      DatabindCodec.mapper()
          .copy()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  /** A host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
  private static final Pattern PUBLIC_HOST =
      Pattern.compile(
          "([A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?");

  /** A host name or an IP address, without a port. */
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[?[0-9A-Fa-f:.]+]?");

  /** A cluster member: host or address, then its Hazelcast port. */
  private static final Pattern MEMBER =
      Pattern.compile(
          "([A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]):[0-9]{1,5}");

  private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private ConfigParser() {}

  static AppConfig parse(JsonObject settings) {
    JsonObject merged = AppConfig.defaults().mergeIn(settings);
    AppConfig config;
    try {
      config = MAPPER.convertValue(merged.getMap(), AppConfig.class);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(describe(e.getCause() == null ? e : e.getCause()));
    }
    validate(config);
    return config;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return "unknown setting \"" + unknown.getPropertyName() + "\"";
    }
    if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
      MismatchedInputException bad = (MismatchedInputException) cause;
      String key = bad.getPath().isEmpty() ? "?" : bad.getPath().get(0).getFieldName();
      return "setting \"" + key + "\" has the wrong type";
    }
    return "invalid settings: " + cause.getMessage();
  }

  private static void validate(AppConfig c) {
    range("port", c.port(), 0, 65535);
    range("maxChannels", c.maxChannels(), 1, 100_000);
    range("maxViewersPerChannel", c.maxViewersPerChannel(), 1, 10_000);
    range("directSlots", c.directSlots(), 1, 100);
    range("relaySlots", c.relaySlots(), 1, 10);
    range("relayMaxDepth", c.relayMaxDepth(), 1, 32);
    range("idleTimeoutSeconds", c.idleTimeoutSeconds(), 1, 7 * 24 * 3600);
    range("graceSeconds", c.graceSeconds(), 0, 3600);
    range("sweepSeconds", c.sweepSeconds(), 1, 3600);
    range("listRefreshMs", c.listRefreshMs(), 10, 60_000);
    range("maxSdpBytes", c.maxSdpBytes(), 1024, 1 << 20);
    range("maxCandidateBytes", c.maxCandidateBytes(), 128, 1 << 16);
    range("chatMaxChars", c.chatMaxChars(), 1, 10_000);
    range("chatHistoryLines", c.chatHistoryLines(), 0, 1000);
    range("chatHistoryBytes", c.chatHistoryBytes(), 0, 1 << 20);
    range("maxFrameBytes", c.maxFrameBytes(), 4096, 1 << 24);
    range("pingTimeoutMs", c.pingTimeoutMs(), 1000, 3_600_000);
    range("maxHandlersPerSocket", c.maxHandlersPerSocket(), 4, 100_000);
    range("chatBurst", c.chatBurst(), 1, 100_000);
    range("signalBurst", c.signalBurst(), 1, 100_000);
    range("requestBurst", c.requestBurst(), 1, 100_000);
    range("maxSocketsPerAddress", c.maxSocketsPerAddress(), 1, 1_000_000);
    range("maxChannelsPerAddress", c.maxChannelsPerAddress(), 1, 100_000);
    range("maxViewersPerChannelPerAddress", c.maxViewersPerChannelPerAddress(), 1, 10_000);
    range("maxWaitingIdsPerAddress", c.maxWaitingIdsPerAddress(), 0, 100_000);
    range("maxWaitingIds", c.maxWaitingIds(), 0, 1_000_000);
    range("maxWaitingViewers", c.maxWaitingViewers(), 0, 10_000_000);
    for (String proxy : c.trustedProxies()) {
      if (!ClientAddresses.valid(proxy)) {
        throw new ConfigException(
            "setting \"trustedProxies\" holds \"" + proxy + "\", expected an IP address or CIDR");
      }
    }
    if (!c.broadcastSecret().isEmpty() && c.broadcastSecret().length() < 32) {
      throw new ConfigException(
          "setting \"broadcastSecret\" must be at least 32 characters (or empty: anyone may broadcast)");
    }
    positive("chatPerSecond", c.chatPerSecond());
    positive("signalPerSecond", c.signalPerSecond());
    positive("requestPerSecond", c.requestPerSecond());
    if (c.host() == null || c.host().isBlank()) {
      throw new ConfigException("setting \"host\" must not be empty");
    }
    if (c.webroot() == null || c.webroot().isBlank()) {
      throw new ConfigException("setting \"webroot\" must not be empty");
    }
    c.allowedOrigins().forEach(ConfigParser::origin);
    iceServers(c.iceServers());
    if (!"all".equals(c.iceTransportPolicy()) && !"relay".equals(c.iceTransportPolicy())) {
      throw new ConfigException("setting \"iceTransportPolicy\" must be \"all\" or \"relay\"");
    }
    for (String url : c.turnUrls()) {
      if (!url.startsWith("turn:") && !url.startsWith("turns:")) {
        throw new ConfigException(
            "setting \"turnUrls\" holds \"" + url + "\", expected turn: or turns: URLs");
      }
    }
    if (!c.turnUrls().isEmpty() && c.turnSecret().isEmpty()) {
      throw new ConfigException(
          "setting \"turnUrls\" needs \"turnSecret\", the TURN server's shared secret");
    }
    range("turnCredentialTtlSeconds", c.turnCredentialTtlSeconds(), 60, 7 * 24 * 3600);
    if (c.tlsCert().isEmpty() != c.tlsKey().isEmpty()) {
      throw new ConfigException(
          "settings \"tlsCert\" and \"tlsKey\" go together: set both or neither");
    }
    range("httpRedirectPort", c.httpRedirectPort(), 0, 65535);
    range("metricsPort", c.metricsPort(), 0, 65535);
    range("edgeInstances", c.edgeInstances(), 0, 64);
    range("warmupMs", c.warmupMs(), 0, 60_000);
    range("headerTimeoutSeconds", c.headerTimeoutSeconds(), 1, 3600);
    range("connectionIdleSeconds", c.connectionIdleSeconds(), 30, 86_400);
    if (c.connectionIdleSeconds() * 1000L <= c.pingTimeoutMs()) {
      throw new ConfigException(
          "setting \"connectionIdleSeconds\" must be longer than \"pingTimeoutMs\", or live"
              + " sockets that only ping would be cut");
    }
    range("maxConnectionsPerAddress", c.maxConnectionsPerAddress(), 1, 1_000_000);
    if (c.metricsHost() == null || c.metricsHost().isBlank()) {
      throw new ConfigException("setting \"metricsHost\" must not be empty");
    }
    cluster(c);
    if (!c.publicHost().isEmpty() && !PUBLIC_HOST.matcher(c.publicHost()).matches()) {
      throw new ConfigException(
          "setting \"publicHost\" is \""
              + c.publicHost()
              + "\", expected a host name or address, with an optional :port");
    }
  }

  private static void cluster(AppConfig c) {
    if (c.clusterName() == null || !CLUSTER_NAME.matcher(c.clusterName()).matches()) {
      throw new ConfigException(
          "setting \"clusterName\" must be 1 to 64 letters, digits, dots, dashes or underscores");
    }
    host("clusterHost", c.clusterHost());
    if (!c.clusterPublicHost().isEmpty()) {
      host("clusterPublicHost", c.clusterPublicHost());
    }
    range("clusterPort", c.clusterPort(), 1, 65535);
    range("clusterBusPort", c.clusterBusPort(), 0, 65535);
    for (String member : c.clusterMembers()) {
      if (!MEMBER.matcher(member).matches()) {
        throw new ConfigException(
            "setting \"clusterMembers\" holds \"" + member + "\", expected host:port");
      }
    }
    range("clusterMinMembers", c.clusterMinMembers(), 1, 64);
    range("clusterHeartbeatSeconds", c.clusterHeartbeatSeconds(), 1, 60);
    range("clusterSuspectSeconds", c.clusterSuspectSeconds(), 2, 600);
    if (c.clusterSuspectSeconds() <= c.clusterHeartbeatSeconds()) {
      throw new ConfigException(
          "setting \"clusterSuspectSeconds\" must be longer than \"clusterHeartbeatSeconds\"");
    }
  }

  private static void host(String key, String value) {
    if (value == null || !HOST.matcher(value).matches()) {
      throw new ConfigException(
          "setting \"" + key + "\" is \"" + value + "\", expected a host name or IP address");
    }
  }

  private static void range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(
          "setting \"" + key + "\" is " + value + ", must be between " + min + " and " + max);
    }
  }

  private static void positive(String key, double value) {
    if (!(value > 0)) {
      throw new ConfigException("setting \"" + key + "\" must be greater than 0");
    }
  }

  private static void origin(String origin) {
    URI uri;
    try {
      uri = URI.create(origin);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || uri.getScheme() == null
        || uri.getHost() == null
        || uri.getPath() == null
        || !uri.getPath().isEmpty()) {
      throw new ConfigException(
          "setting \"allowedOrigins\" holds \"" + origin + "\", expected scheme://host[:port]");
    }
  }

  private static void iceServers(JsonArray servers) {
    for (Object server : servers) {
      if (!(server instanceof JsonObject json) || json.getValue("urls") == null) {
        throw new ConfigException(
            "setting \"iceServers\" must be a list of objects with \"urls\", like RTCIceServer");
      }
    }
  }
}
