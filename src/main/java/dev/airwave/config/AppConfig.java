package dev.airwave.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The service's validated settings; every key is described in docs/configuration.md. */
@JsonIgnoreProperties(ignoreUnknown = false)
public record AppConfig(
    String host,
    int port,
    String webroot,
    List<String> allowedOrigins,
    int maxChannels,
    int maxViewersPerChannel,
    int directSlots,
    int relaySlots,
    int relayMaxDepth,
    int idleTimeoutSeconds,
    int graceSeconds,
    int sweepSeconds,
    int listRefreshMs,
    int maxSdpBytes,
    int maxCandidateBytes,
    int chatMaxChars,
    int chatHistoryLines,
    int chatHistoryBytes,
    int maxFrameBytes,
    int pingTimeoutMs,
    int maxHandlersPerSocket,
    double chatPerSecond,
    int chatBurst,
    double signalPerSecond,
    int signalBurst,
    double requestPerSecond,
    int requestBurst,
    List<String> trustedProxies,
    int maxSocketsPerAddress,
    int maxChannelsPerAddress,
    int maxViewersPerChannelPerAddress,
    int maxWaitingIdsPerAddress,
    int maxWaitingIds,
    int maxWaitingViewers,
    String broadcastSecret,
    JsonArray iceServers,
    String iceTransportPolicy,
    List<String> turnUrls,
    String turnSecret,
    int turnCredentialTtlSeconds,
    String tlsCert,
    String tlsKey,
    int httpRedirectPort,
    String publicHost,
    int headerTimeoutSeconds,
    int connectionIdleSeconds,
    int maxConnectionsPerAddress,
    boolean metricsEnabled,
    String metricsHost,
    int metricsPort,
    int edgeInstances,
    int warmupMs,
    boolean pageDebug,
    boolean clusterEnabled,
    String clusterName,
    String clusterHost,
    String clusterPublicHost,
    int clusterPort,
    int clusterBusPort,
    List<String> clusterMembers,
    int clusterMinMembers,
    int clusterHeartbeatSeconds,
    int clusterSuspectSeconds) {

  public static final int NAME_MAX_CHARS = 32;
  public static final int TITLE_MAX_CHARS = 80;

  /** The embedded defaults: what runs when there is no configuration at all. */
  public static JsonObject defaults() {
    return new JsonObject()
        .put("host", "0.0.0.0")
        .put("port", 3000)
        .put("webroot", "webroot")
        .put("allowedOrigins", new JsonArray())
        .put("maxChannels", 100)
        .put("maxViewersPerChannel", 25)
        .put("directSlots", 4)
        .put("relaySlots", 2)
        .put("relayMaxDepth", 8)
        .put("idleTimeoutSeconds", 3600)
        .put("graceSeconds", 30)
        .put("sweepSeconds", 30)
        .put("listRefreshMs", 250)
        .put("maxSdpBytes", 32768)
        .put("maxCandidateBytes", 1024)
        .put("chatMaxChars", 500)
        .put("chatHistoryLines", 50)
        .put("chatHistoryBytes", 16384)
        .put("maxFrameBytes", 65536)
        .put("pingTimeoutMs", 30000)
        .put("maxHandlersPerSocket", 256)
        .put("chatPerSecond", 2.0)
        .put("chatBurst", 8)
        .put("signalPerSecond", 100.0)
        .put("signalBurst", 300)
        .put("requestPerSecond", 10.0)
        .put("requestBurst", 40)
        .put("trustedProxies", new JsonArray())
        .put("maxSocketsPerAddress", 64)
        .put("maxChannelsPerAddress", 5)
        .put("maxViewersPerChannelPerAddress", 5)
        .put("maxWaitingIdsPerAddress", 5)
        .put("maxWaitingIds", 200)
        .put("maxWaitingViewers", 2000)
        .put("broadcastSecret", "")
        .put("iceServers", new JsonArray())
        .put("iceTransportPolicy", "all")
        .put("turnUrls", new JsonArray())
        .put("turnSecret", "")
        .put("turnCredentialTtlSeconds", 3600)
        .put("tlsCert", "")
        .put("tlsKey", "")
        .put("httpRedirectPort", 0)
        .put("publicHost", "")
        .put("headerTimeoutSeconds", 10)
        .put("connectionIdleSeconds", 60)
        .put("maxConnectionsPerAddress", 128)
        .put("metricsEnabled", true)
        .put("metricsHost", "127.0.0.1")
        .put("metricsPort", 9464)
        .put("edgeInstances", 0)
        .put("warmupMs", 10000)
        .put("pageDebug", false)
        .put("clusterEnabled", false)
        .put("clusterName", "airwave")
        .put("clusterHost", "127.0.0.1")
        .put("clusterPublicHost", "")
        .put("clusterPort", 5701)
        .put("clusterBusPort", 0)
        .put("clusterMembers", new JsonArray())
        .put("clusterMinMembers", 1)
        .put("clusterHeartbeatSeconds", 1)
        .put("clusterSuspectSeconds", 5);
  }

  /** The interval at which a broadcaster should send keep-alives so it is never idle. */
  public long keepaliveMs() {
    return Math.min(60_000L, idleTimeoutSeconds * 1000L / 3);
  }

  /** The address other nodes reach this one at: the public host, else the bound interface. */
  public String clusterAdvertisedHost() {
    return clusterPublicHost.isEmpty() ? clusterHost : clusterPublicHost;
  }

  public JsonObject toJson() {
    return JsonObject.mapFrom(this);
  }

  /** The settings with secrets masked, for logs. */
  @Override
  public String toString() {
    JsonObject json = toJson();
    if (!turnSecret.isEmpty()) {
      json.put("turnSecret", "***");
    }
    if (!broadcastSecret.isEmpty()) {
      json.put("broadcastSecret", "***");
    }
    return json.encode();
  }

  public static AppConfig fromJson(JsonObject json) {
    return ConfigParser.parse(json);
  }
}
