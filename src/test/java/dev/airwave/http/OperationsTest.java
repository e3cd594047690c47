package dev.airwave.http;

import static dev.airwave.testing.Metrics.scrapeUntil;
import static dev.airwave.testing.Signals.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.airwave.config.AppConfig;
import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.Clients;
import dev.airwave.testing.Http;
import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayName("Operations: Prometheus metrics and liveness/readiness probes")
@Tag("integration")
class OperationsTest {
  @Test
  @DisplayName(
      "/metrics shows channels, sockets by role, relays, chat, refusals, evictions, JVM and Vert.x")
  void prometheusMetrics() throws Exception {
    JsonObject settings = new JsonObject().put("idleTimeoutSeconds", 1).put("sweepSeconds", 1);
    try (ServiceUnderTest service = ServiceUnderTest.start(settings);
        Clients clients = new Clients(service)) {
      BridgeClient broadcaster = clients.broadcaster("metered");
      BridgeClient ann = clients.viewer("metered", "Ann");
      clients.viewer("later", "Bob");
      broadcaster.request("airwave.signal", offer(ann.peerId(), "v=0"));
      ann.request("airwave.chat.send", new JsonObject().put("text", "hi"));
      ann.refusal("airwave.signal", offer(ann.peerId(), "v=0")).assertCode("not_allowed");
      String url = service.operationsUrl() + "/metrics";
      scrapeUntil(
          url,
          "airwave_channels_live 1.0",
          "airwave_sockets{role=\"broadcaster\"} 1.0",
          "airwave_sockets{role=\"viewer\"} 1.0",
          "airwave_sockets{role=\"waiting\"} 1.0",
          "airwave_viewers 1.0",
          "airwave_signals_relayed_total{type=\"offer\"} 1.0",
          "airwave_chat_messages_total 1.0",
          "airwave_requests_refused_total{reason=\"not_allowed\"} 1.0",
          "jvm_memory_used_bytes",
          "vertx_http_server_requests_total");
      ann.next("channel-ended", Duration.ofSeconds(4));
      scrapeUntil(
          url,
          "airwave_channels_evicted_total 1.0",
          "airwave_channels_live 0.0",
          "airwave_channels_paused 0.0");
    }
  }

  @Test
  @DisplayName("a channel whose broadcaster is away counts as paused, not live")
  void pausedChannels() throws Exception {
    try (ServiceUnderTest service = ServiceUnderTest.start();
        Clients clients = new Clients(service)) {
      BridgeClient broadcaster = clients.broadcaster("away");
      BridgeClient ann = clients.viewer("away", "Ann");
      String url = service.operationsUrl() + "/metrics";
      scrapeUntil(url, "airwave_channels_live 1.0", "airwave_channels_paused 0.0");
      broadcaster.close();
      ann.next("broadcaster-away");
      scrapeUntil(url, "airwave_channels_live 0.0", "airwave_channels_paused 1.0");
    }
  }

  @Test
  @DisplayName("what the edge refuses is counted by reason: sockets, connections, bad frames")
  void edgeRefusals() throws Exception {
    JsonObject settings = new JsonObject().put("maxSocketsPerAddress", 1);
    try (ServiceUnderTest service = ServiceUnderTest.start(settings);
        Clients clients = new Clients(service)) {
      BridgeClient first = clients.ready();
      first.sendFrame(new JsonObject().put("type", "shout").put("address", "x"));
      assertEquals("invalid_type", first.nextBridgeError());
      BridgeClient second = clients.raw();
      assertEquals("too_many_sockets", second.nextBridgeError());
      scrapeUntil(
          service.operationsUrl() + "/metrics",
          "airwave_edge_refused_total{reason=\"invalid_type\"} 1.0",
          "airwave_edge_refused_total{reason=\"too_many_sockets\"} 1.0");
    }
  }

  @Test
  @DisplayName("liveness and readiness answer 200 with a JSON status")
  void probes() throws Exception {
    try (ServiceUnderTest service = ServiceUnderTest.start()) {
      HttpResponse<String> live = Http.get(service.baseUrl() + "/health/live");
      assertEquals(200, live.statusCode());
      assertEquals("UP", new JsonObject(live.body()).getString("status"));
      HttpResponse<String> ready = Http.get(service.baseUrl() + "/health/ready");
      assertEquals(200, ready.statusCode());
      assertEquals(0, new JsonObject(ready.body()).getInteger("channels"));
    }
  }

  @Test
  @DisplayName("without a registry the node is live but not ready (503)")
  void notReadyWithoutRegistry() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject settings =
          AppConfig.fromJson(
                  new JsonObject().put("host", "127.0.0.1").put("port", 0).put("metricsPort", 0))
              .toJson();
      HttpVerticle http = new HttpVerticle(null);
      vertx.deployVerticle(http, new DeploymentOptions().setConfig(settings)).await();
      String base = "http://127.0.0.1:" + http.actualPort();
      assertEquals(200, Http.get(base + "/health/live").statusCode());
      HttpResponse<String> ready = Http.get(base + "/health/ready");
      assertEquals(503, ready.statusCode());
      assertEquals("DOWN", new JsonObject(ready.body()).getString("status"));
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("/metrics is only on the operations port; health is on both; metrics can be off")
  void metricsOnTheirOwnPort() throws Exception {
    try (ServiceUnderTest service = ServiceUnderTest.start()) {
      assertEquals(404, Http.get(service.baseUrl() + "/metrics").statusCode());
      scrapeUntil(service.operationsUrl() + "/metrics", "airwave_channels_live 0.0");
      assertEquals(200, Http.get(service.operationsUrl() + "/health/ready").statusCode());
    }
    try (ServiceUnderTest service =
        ServiceUnderTest.start(new JsonObject().put("metricsEnabled", false))) {
      assertEquals(404, Http.get(service.operationsUrl() + "/metrics").statusCode());
      assertEquals(200, Http.get(service.operationsUrl() + "/health/live").statusCode());
    }
  }

  @Test
  @DisplayName("the operations port listens on loopback by default, whatever host the pages use")
  void operationsPortIsLoopbackByDefault() {
    assertEquals("127.0.0.1", AppConfig.fromJson(new JsonObject()).metricsHost());
    assertEquals(9464, AppConfig.fromJson(new JsonObject()).metricsPort());
  }
}
