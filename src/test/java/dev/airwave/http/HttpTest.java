package dev.airwave.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("HTTP edge: health, pages, vendored scripts and the Origin check")
class HttpTest extends ServiceTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  protected JsonObject settings() {
    return new JsonObject()
        .put("allowedOrigins", new JsonArray().add("https://partner.example"))
        .put(
            "iceServers", new JsonArray().add(new JsonObject().put("urls", "stun:127.0.0.1:3478")));
  }

  private Response get(String path, String origin) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(service.baseUrl() + path)).timeout(Duration.ofSeconds(5));
    if (origin != null) {
      request.header("Origin", origin);
    }
    try {
      HttpResponse<String> response = HTTP.send(request.build(), BodyHandlers.ofString());
      return new Response(
          response.statusCode(),
          response.headers().firstValue("content-type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private record Response(int status, String type, String body) {}

  @Test
  @DisplayName("GET /health answers 200 with a small JSON status")
  void health() {
    Response health = get("/health", null);
    assertEquals(200, health.status());
    assertTrue(health.type().startsWith("application/json"));
    assertEquals("UP", new JsonObject(health.body()).getString("status"));
  }

  @Test
  @DisplayName("the vendored event-bus client and SockJS are served, with no CDN")
  void vendoredScripts() {
    assertEquals(200, get("/vendor/sockjs/sockjs.min.js", null).status());
    assertTrue(get("/vendor/vertx-eventbus/vertx-eventbus.js", null).body().contains("EventBus"));
    assertEquals(404, get("/eventbus/iframe.html", null).status());
  }

  @Test
  @DisplayName("hello gives the peer id, the inbox and the ICE servers from configuration")
  void helloCarriesIceServers() {
    BridgeClient client = clients.raw();
    JsonObject hello = client.hello();
    assertTrue(hello.getString("peerId").matches("[A-Za-z0-9_-]{22}"));
    assertEquals("airwave.peer." + hello.getString("peerId"), hello.getString("inbox"));
    assertEquals(
        "stun:127.0.0.1:3478", hello.getJsonArray("iceServers").getJsonObject(0).getString("urls"));
    assertEquals(500, hello.getJsonObject("limits").getInteger("chatMaxChars"));
    assertFalse(hello.containsKey("debug"), "no test hook asked of pages by default");
  }

  @Test
  @DisplayName("two sockets get two different peer ids")
  void distinctPeerIds() {
    assertTrue(
        !clients
            .raw()
            .hello()
            .getString("peerId")
            .equals(clients.raw().hello().getString("peerId")));
  }

  @Test
  @DisplayName("a WebSocket from the same origin or an allowed one connects")
  void allowedOrigins() {
    String self = "http://127.0.0.1:" + service.port();
    for (String origin : new String[] {self, "https://partner.example"}) {
      try (BridgeClient client = BridgeClient.connect(service.vertx(), service.port(), origin)) {
        client.hello();
      }
    }
  }

  @Test
  @DisplayName("a WebSocket or SockJS request from another site is refused with 403")
  void foreignOriginRefused() {
    assertThrows(
        RuntimeException.class,
        () -> BridgeClient.connect(service.vertx(), service.port(), "https://evil.example"));
    assertEquals(403, get("/eventbus/info", "https://evil.example").status());
    assertEquals(403, get("/eventbus/info", "http://127.0.0.1:1").status());
  }
}
