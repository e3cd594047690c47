package dev.airwave.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The service's settings")
class AppConfigTest {

  @Test
  @DisplayName("the embedded defaults are exactly what conf/config.json says")
  void defaultsMatchShippedFile() throws IOException {
    JsonObject shipped = new JsonObject(Files.readString(Path.of("conf", "config.json")));
    assertEquals(shipped, AppConfig.defaults());
    assertEquals(AppConfig.fromJson(shipped), AppConfig.fromJson(new JsonObject()));
  }

  @Test
  @DisplayName("no settings at all give the documented limits")
  void documentedDefaults() {
    AppConfig config = AppConfig.fromJson(new JsonObject());
    assertEquals("0.0.0.0", config.host());
    assertEquals(3000, config.port());
    assertEquals(100, config.maxChannels());
    assertEquals(25, config.maxViewersPerChannel());
    assertEquals(3600, config.idleTimeoutSeconds());
    assertEquals(30, config.graceSeconds());
    assertEquals(32768, config.maxSdpBytes());
    assertEquals(1024, config.maxCandidateBytes());
    assertEquals(500, config.chatMaxChars());
    assertEquals(65536, config.maxFrameBytes());
    assertEquals(2.0, config.chatPerSecond());
    assertEquals(8, config.chatBurst());
    assertEquals(100.0, config.signalPerSecond());
    assertEquals(300, config.signalBurst());
    assertEquals(10.0, config.requestPerSecond());
    assertEquals(40, config.requestBurst());
    assertEquals(List.of(), config.allowedOrigins());
    assertEquals(new JsonArray(), config.iceServers());
    assertFalse(config.pageDebug(), "pages install no test hook unless asked");
  }

  @Test
  @DisplayName("a setting given overrides its default and leaves the others alone")
  void overrides() {
    AppConfig config =
        AppConfig.fromJson(
            new JsonObject().put("port", 8080).put("maxChannels", 3).put("chatPerSecond", 0.5));
    assertEquals(8080, config.port());
    assertEquals(3, config.maxChannels());
    assertEquals(0.5, config.chatPerSecond());
    assertEquals(25, config.maxViewersPerChannel());
  }

  @Test
  @DisplayName("settings survive the trip to the verticles through toJson")
  void roundTrip() {
    AppConfig config =
        AppConfig.fromJson(
            new JsonObject()
                .put("allowedOrigins", new JsonArray().add("https://airwave.example"))
                .put(
                    "iceServers",
                    new JsonArray()
                        .add(new JsonObject().put("urls", new JsonArray().add("stun:s.example")))));
    assertEquals(config, AppConfig.fromJson(config.toJson()));
  }

  @Test
  @DisplayName("the keep-alive interval is a third of the idle timeout, at most a minute")
  void keepalive() {
    assertEquals(60_000L, AppConfig.fromJson(new JsonObject()).keepaliveMs());
    assertEquals(
        20_000L, AppConfig.fromJson(new JsonObject().put("idleTimeoutSeconds", 60)).keepaliveMs());
  }

  @Test
  @DisplayName("an unknown setting is refused with its name")
  void unknownKey() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> AppConfig.fromJson(new JsonObject().put("maxChanels", 5)));
    assertTrue(e.getMessage().contains("\"maxChanels\""), e.getMessage());
  }

  @Test
  @DisplayName("a setting of the wrong type is refused with its name")
  void wrongType() {
    assertRefused("port", new JsonObject().put("port", "three thousand"));
    assertRefused("port", new JsonObject().putNull("port"));
    assertRefused("maxChannels", new JsonObject().put("maxChannels", new JsonObject()));
    assertRefused("allowedOrigins", new JsonObject().put("allowedOrigins", "https://a.example"));
    assertRefused("iceServers", new JsonObject().put("iceServers", "stun:s.example"));
    assertRefused("chatPerSecond", new JsonObject().put("chatPerSecond", "fast"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"graceSeconds", "maxChannels", "chatBurst"})
  @DisplayName("a fraction where a whole number is expected is refused, not truncated")
  void fractionForWholeNumber(String key) {
    assertRefused(key, new JsonObject().put(key, 2.5));
  }

  @Test
  @DisplayName("a value out of its range is refused with the name and the range")
  void outOfRange() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> AppConfig.fromJson(new JsonObject().put("maxChannels", 0)));
    assertEquals("setting \"maxChannels\" is 0, must be between 1 and 100000", e.getMessage());
    assertRefused("port", new JsonObject().put("port", 65536));
    assertRefused("graceSeconds", new JsonObject().put("graceSeconds", -1));
    assertRefused("maxSdpBytes", new JsonObject().put("maxSdpBytes", 1023));
    assertRefused("maxViewersPerChannel", new JsonObject().put("maxViewersPerChannel", 10_001));
    assertRefused("chatPerSecond", new JsonObject().put("chatPerSecond", 0.0));
    assertRefused("requestPerSecond", new JsonObject().put("requestPerSecond", -1.0));
    assertRefused("host", new JsonObject().put("host", " "));
    assertRefused("webroot", new JsonObject().put("webroot", ""));
  }

  @Test
  @DisplayName("the abuse and edge settings refuse values that would break or open the service")
  void abuseAndEdgeSettings() {
    assertRefused(
        "trustedProxies", new JsonObject().put("trustedProxies", new JsonArray().add("lb")));
    assertRefused(
        "trustedProxies",
        new JsonObject().put("trustedProxies", new JsonArray().add("10.0.0.0/40")));
    assertRefused("broadcastSecret", new JsonObject().put("broadcastSecret", "too-short"));
    assertRefused("maxSocketsPerAddress", new JsonObject().put("maxSocketsPerAddress", 0));
    assertRefused("maxChannelsPerAddress", new JsonObject().put("maxChannelsPerAddress", 0));
    assertRefused(
        "maxViewersPerChannelPerAddress",
        new JsonObject().put("maxViewersPerChannelPerAddress", 0));
    assertRefused("headerTimeoutSeconds", new JsonObject().put("headerTimeoutSeconds", 0));
    assertRefused("connectionIdleSeconds", new JsonObject().put("connectionIdleSeconds", 29));
    assertRefused(
        "connectionIdleSeconds",
        new JsonObject().put("connectionIdleSeconds", 40).put("pingTimeoutMs", 40_000));
    assertRefused("publicHost", new JsonObject().put("publicHost", "https://x.example/"));
    assertRefused("metricsHost", new JsonObject().put("metricsHost", ""));
    AppConfig ok =
        AppConfig.fromJson(
            new JsonObject()
                .put("trustedProxies", new JsonArray().add("10.0.0.0/8").add("::1"))
                .put("publicHost", "airwave.example.org:8443")
                .put("broadcastSecret", "x".repeat(32)));
    assertEquals("airwave.example.org:8443", ok.publicHost());
    assertTrue(ok.toString().contains("\"broadcastSecret\":\"***\""), ok::toString);
  }

  @Test
  @DisplayName("the bounds of each range are accepted")
  void rangeBounds() {
    AppConfig low =
        AppConfig.fromJson(
            new JsonObject()
                .put("port", 0)
                .put("maxChannels", 1)
                .put("graceSeconds", 0)
                .put("maxSdpBytes", 1024)
                .put("maxCandidateBytes", 128));
    assertEquals(0, low.graceSeconds());
    AppConfig high =
        AppConfig.fromJson(
            new JsonObject()
                .put("port", 65535)
                .put("maxChannels", 100_000)
                .put("graceSeconds", 3600)
                .put("idleTimeoutSeconds", 7 * 24 * 3600));
    assertEquals(100_000, high.maxChannels());
  }

  @Test
  @DisplayName("ICE servers are RTCIceServer-like objects with urls")
  void iceServers() {
    JsonArray servers =
        new JsonArray()
            .add(new JsonObject().put("urls", "stun:stun.example.org:3478"))
            .add(
                new JsonObject()
                    .put("urls", new JsonArray().add("turn:turn.example.org:3478?transport=udp"))
                    .put("username", "airwave")
                    .put("credential", "secret"));
    assertEquals(
        servers, AppConfig.fromJson(new JsonObject().put("iceServers", servers)).iceServers());
    assertRefused(
        "iceServers",
        new JsonObject().put("iceServers", new JsonArray().add("stun:stun.example.org")));
    assertRefused(
        "iceServers",
        new JsonObject()
            .put("iceServers", new JsonArray().add(new JsonObject().put("url", "stun:s.example"))));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {"https://airwave.example", "http://localhost:3000", "https://192.0.2.1:8443"})
  @DisplayName("an allowed origin of the form scheme://host[:port] is accepted")
  void validOrigins(String origin) {
    AppConfig config =
        AppConfig.fromJson(new JsonObject().put("allowedOrigins", new JsonArray().add(origin)));
    assertEquals(List.of(origin), config.allowedOrigins());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "https://airwave.example/",
        "https://airwave.example/app",
        "airwave.example",
        "*",
        "https://air wave.example",
        ""
      })
  @DisplayName("any other allowed origin is refused, quoting it")
  void invalidOrigins(String origin) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                AppConfig.fromJson(
                    new JsonObject().put("allowedOrigins", new JsonArray().add(origin))));
    assertTrue(e.getMessage().contains("allowedOrigins"), e.getMessage());
    assertTrue(e.getMessage().contains("\"" + origin + "\""), e.getMessage());
  }

  @Test
  @DisplayName("environment variable names are the setting names in upper snake case")
  void envNames() {
    assertEquals("AIRWAVE_HOST", ConfigLoader.envName("host"));
    assertEquals("AIRWAVE_MAX_CHANNELS", ConfigLoader.envName("maxChannels"));
    assertEquals("AIRWAVE_MAX_VIEWERS_PER_CHANNEL", ConfigLoader.envName("maxViewersPerChannel"));
    assertEquals("AIRWAVE_LIST_REFRESH_MS", ConfigLoader.envName("listRefreshMs"));
    assertEquals("AIRWAVE_ICE_SERVERS", ConfigLoader.envName("iceServers"));
  }

  @Test
  @DisplayName("environment variable names do not depend on the machine's locale")
  void envNamesIgnoreLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      assertEquals("AIRWAVE_IDLE_TIMEOUT_SECONDS", ConfigLoader.envName("idleTimeoutSeconds"));
      assertEquals("AIRWAVE_PING_TIMEOUT_MS", ConfigLoader.envName("pingTimeoutMs"));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  @DisplayName("environment variables become typed settings; other variables are ignored")
  void fromEnvironment() {
    JsonObject settings =
        ConfigLoader.fromEnvironment(
            Map.of(
                "AIRWAVE_MAX_CHANNELS", " 5 ",
                "AIRWAVE_CHAT_PER_SECOND", "1.5",
                "AIRWAVE_HOST", "127.0.0.1",
                "AIRWAVE_ALLOWED_ORIGINS", "https://a.example, https://b.example,",
                "AIRWAVE_ICE_SERVERS", "[{\"urls\":[\"stun:s.example:3478\"]}]",
                "AIRWAVE_PAGE_DEBUG", "true",
                "PATH", "/usr/bin",
                "MAX_CHANNELS", "7"));
    assertEquals(
        new JsonObject()
            .put("host", "127.0.0.1")
            .put(
                "allowedOrigins", new JsonArray().add("https://a.example").add("https://b.example"))
            .put("maxChannels", 5)
            .put("chatPerSecond", 1.5)
            .put("pageDebug", true)
            .put(
                "iceServers",
                new JsonArray()
                    .add(new JsonObject().put("urls", new JsonArray().add("stun:s.example:3478")))),
        settings);
    AppConfig config = AppConfig.fromJson(settings);
    assertEquals(5, config.maxChannels());
    assertEquals(List.of("https://a.example", "https://b.example"), config.allowedOrigins());
    assertTrue(config.pageDebug());
  }

  @Test
  @DisplayName("an environment variable that does not parse is refused, naming it")
  void environmentWrongType() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fromEnvironment(Map.of("AIRWAVE_PORT", "eighty")));
    assertTrue(e.getMessage().contains("AIRWAVE_PORT"), e.getMessage());
    assertTrue(e.getMessage().contains("\"port\""), e.getMessage());
    assertThrows(
        ConfigException.class,
        () -> ConfigLoader.fromEnvironment(Map.of("AIRWAVE_ICE_SERVERS", "[{\"urls\":")));
    assertThrows(
        ConfigException.class,
        () -> ConfigLoader.fromEnvironment(Map.of("AIRWAVE_SIGNAL_PER_SECOND", "lots")));
  }

  @Test
  @DisplayName("environment values are range-checked like the file's")
  void environmentRange() {
    JsonObject settings = ConfigLoader.fromEnvironment(Map.of("AIRWAVE_MAX_CHANNELS", "0"));
    assertRefused("maxChannels", settings);
    JsonObject origins = ConfigLoader.fromEnvironment(Map.of("AIRWAVE_ALLOWED_ORIGINS", "*"));
    assertRefused("allowedOrigins", origins);
  }

  private static void assertRefused(String key, JsonObject settings) {
    ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.fromJson(settings));
    assertTrue(e.getMessage().contains("\"" + key + "\""), e.getMessage());
  }
}
