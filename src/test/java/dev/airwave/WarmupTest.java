package dev.airwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.config.AppConfig;
import dev.airwave.testing.Http;
import dev.airwave.testing.LogCapture;
import dev.airwave.testing.Ports;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayName("A node warms up over its own bridge before it reports ready")
@Tag("integration")
class WarmupTest {
  private static boolean listening(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException refused) {
      return false;
    }
  }

  @Test
  @DisplayName(
      "readiness says warming up and the main port is shut while broadcasts warm the bridge up")
  void readyOnlyWhenWarm() throws Exception {
    int port = Ports.free();
    int operations = Ports.free();
    AppConfig config =
        AppConfig.fromJson(
            new JsonObject()
                .put("host", "127.0.0.1")
                .put("port", port)
                .put("metricsPort", operations)
                .put("warmupMs", 1500)
                // tight budgets: a warm-up that outruns them is refused and stops
                .put("requestPerSecond", 1.0)
                .put("requestBurst", 4)
                .put("signalPerSecond", 40.0)
                .put("signalBurst", 40));
    try (LogCapture logs = new LogCapture()) {
      CompletableFuture<Service> launched =
          Service.launch(config).toCompletionStage().toCompletableFuture();
      String ready = "http://127.0.0.1:" + operations + "/health/ready";
      JsonObject warming = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      boolean publicWhileWarming = false;
      while (warming == null && !launched.isDone() && System.nanoTime() < deadline) {
        // the main port first: when readiness still says warming up after it, it was not open
        boolean mainOpen = listening(port);
        try {
          HttpResponse<String> response = Http.get(ready);
          if (response.statusCode() == 503) {
            warming = new JsonObject(response.body());
            publicWhileWarming = mainOpen;
          }
        } catch (java.io.IOException notListeningYet) {
          Thread.sleep(20);
        }
      }
      Service service = launched.get(30, TimeUnit.SECONDS);
      try {
        assertTrue(warming != null, "a 503 while warming up");
        assertTrue(warming.getString("reason").startsWith("warming up"), warming.encode());
        assertFalse(publicWhileWarming, "the main port took connections while warming up");
        assertTrue(listening(port), "the main port is open once warm");
        assertEquals(200, Http.get(ready).statusCode());
        String summary =
            logs.texts().stream().filter(t -> t.startsWith("warmed up")).findFirst().orElse("");
        assertTrue(
            summary.matches(
                "warmed up: [1-9][0-9]* rounds of Shape\\[.*spread=false\\] in [0-9]+ ms"),
            () -> "no warm-up summary from 127.0.0.1 alone in " + logs.texts());
        assertTrue(logs.mentioning("warm-up stopped").isEmpty(), () -> logs.texts().toString());
        String metrics = Http.get("http://127.0.0.1:" + operations + "/metrics").body();
        assertTrue(
            metrics.lines().anyMatch(l -> l.startsWith("airwave_signals_relayed_total")),
            "signals went through the registry");
      } finally {
        service.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        service.vertx().close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("with the shipped quotas a crowd over many loopback addresses warms the node up")
  void crowdWithinQuotas() throws Exception {
    AppConfig config =
        AppConfig.fromJson(
            new JsonObject()
                .put("host", "127.0.0.1")
                .put("port", Ports.free())
                .put("metricsPort", Ports.free())
                .put("warmupMs", 2000));
    try (LogCapture logs = new LogCapture()) {
      Service service =
          Service.launch(config)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      try {
        String summary =
            logs.texts().stream().filter(t -> t.startsWith("warmed up")).findFirst().orElse("");
        assertTrue(
            summary.matches(
                "warmed up: [1-9][0-9]* rounds of Shape\\[groups=24, viewers=16, lanes=24,"
                    + " spread=true\\] in [0-9]+ ms"),
            () -> "no crowd in " + logs.texts());
        // the service's own warnings (a library may warn once per JVM, whichever test is first)
        assertTrue(
            logs.warnings().stream().noneMatch(e -> e.getLoggerName().startsWith("dev.airwave")),
            () -> "warnings: " + logs.texts());
        // every warm-up channel is over and its sockets gone: the node starts empty
        JsonObject health =
            new JsonObject(
                Http.get("http://127.0.0.1:" + service.operationsPort() + "/health/ready").body());
        assertEquals(0, health.getInteger("channels"), health.encode());
      } finally {
        service.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        service.vertx().close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
    }
  }
}
