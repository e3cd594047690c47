package dev.airwave.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.bus.Addresses;
import dev.airwave.testing.Ports;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A page of another origin cannot reach the bridge on any SockJS transport")
class CrossOriginTest extends BrowserTest {
  /** How long the attacking page may take: its SockJS transports give up after 3 s. */
  private static final Duration ATTACK = Duration.ofSeconds(20);

  /** The attempts of {@code cross-origin/attack.html}, each noting one outcome when it ends. */
  private static final int ATTEMPTS = 18;

  /**
   * The node's pages refuse to be loaded by other sites (Cross-Origin-Resource-Policy), so the
   * attacking site serves its own copy of the SockJS client.
   */
  private static final String SOCKJS_CLIENT =
      "/META-INF/resources/webjars/sockjs-client/1.6.1/dist/sockjs.min.js";

  private final List<String> fromSockets = new CopyOnWriteArrayList<>();
  private final Handler<DeliveryContext<Object>> watch = this::onOutbound;
  private HttpServer otherSite;

  @Override
  protected void stopOthers() {
    if (otherSite != null) {
      otherSite.close();
    }
  }

  @Test
  @DisplayName("framed iframe.html, WebSocket, xhr, eventsource, htmlfile and jsonp open no socket")
  void otherOriginIsRefusedEverywhere() {
    String attackUrl = startOtherSite();
    service.vertx().eventBus().addOutboundInterceptor(watch);
    try {
      Window attacker = browser.open(attackUrl);
      attacker.await("an outcome of every attempt", ATTACK, w -> outcomes(w).size() == ATTEMPTS);
      Map<?, ?> results = outcomes(attacker);
      assertEquals(0, socketsNow(), "sockets open on the node while the page is open");
      attacker.close();
      assertEquals(List.of(), fromSockets, "messages sent by bridge sockets");
      results.forEach((what, outcome) -> assertFalse("open".equals(outcome), what + " opened"));
      assertOwnPageStillConnects();
    } finally {
      service.vertx().eventBus().removeOutboundInterceptor(watch);
    }
  }

  private static Map<?, ?> outcomes(Window attacker) {
    return (Map<?, ?>) attacker.script("return window.results");
  }

  /** The control: the node's own page connects, and the same watch sees its socket. */
  private void assertOwnPageStillConnects() {
    Window own = browser.open(service.baseUrl() + "/?viewer=true");
    own.await("the connection", Airwave.SHORT, Airwave::connected);
    assertEquals(1, socketsNow());
    assertTrue(fromSockets.contains(Addresses.HELLO), () -> "seen: " + fromSockets);
  }

  private void onOutbound(DeliveryContext<Object> delivery) {
    if (delivery.message().headers().contains(Addresses.PEER_HEADER)
        || Addresses.PEER_GONE.equals(delivery.message().address())) {
      fromSockets.add(delivery.message().address());
    }
    delivery.next();
  }

  private String startOtherSite() {
    String page = resource("/cross-origin/attack.html").replace("VICTIM", service.baseUrl());
    String sockjs = resource(SOCKJS_CLIENT);
    int port = Ports.free();
    otherSite =
        service
            .vertx()
            .createHttpServer()
            .requestHandler(
                req -> {
                  boolean script = req.path().endsWith(".js");
                  req.response()
                      .putHeader("content-type", script ? "text/javascript" : "text/html")
                      .end(script ? sockjs : page);
                })
            .listen(port, "127.0.0.1")
            .await();
    return "http://127.0.0.1:" + port + "/";
  }

  private int socketsNow() {
    try {
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(service.baseUrl() + "/health")).build(),
                  HttpResponse.BodyHandlers.ofString());
      return new JsonObject(health.body()).getInteger("sockets");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String resource(String path) {
    try (InputStream in = CrossOriginTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
