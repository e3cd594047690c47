package dev.airwave.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.airwave.bus.Addresses;
import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.Http;
import dev.airwave.testing.LoadBalancer;
import dev.airwave.testing.ServiceUnderTest;
import dev.airwave.testing.XhrSession;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes behind HAProxy with the shipped {@code deploy/haproxy.cfg}. Each node names a STUN
 * server of its own in every hello, so a client can tell which node answered it.
 */
@DisplayName("Two nodes behind the shipped HAProxy configuration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
@Tag("integration")
class LoadBalancerTest {
  private static final String FIRST = "stun:first.node.test";
  private static final String SECOND = "stun:second.node.test";
  private static final String CLIENT = "127.0.0.66";
  private static final String OTHER_CLIENT = "127.0.0.67";

  /** Two failed or passed checks a second apart, with room for a slow machine. */
  private static final Duration HEALTH_CHANGE = Duration.ofSeconds(8);

  private final List<AutoCloseable> open = new ArrayList<>();
  private Vertx vertx;
  private ServiceUnderTest first;
  private ServiceUnderTest second;
  private LoadBalancer balancer;

  @BeforeAll
  void startNodes() {
    vertx = Vertx.vertx();
    first = node(FIRST);
    second = node(SECOND);
    balancer = LoadBalancer.start(first, second);
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable client : open) {
      try {
        client.close();
      } catch (RuntimeException e) {
        // already closed by the test or by the balancer
      }
    }
    open.clear();
  }

  @AfterAll
  void stopNodes() {
    for (AutoCloseable part : new AutoCloseable[] {balancer, first, second}) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        // stop the others anyway
      }
    }
    vertx.close().await();
  }

  @Test
  @DisplayName("pages, the vendored SockJS client and the SockJS info come through it")
  void pages() throws Exception {
    HttpResponse<String> page = Http.get(balancer.baseUrl() + "/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>Airwave</title>"));
    assertTrue(page.headers().firstValue("content-security-policy").isPresent());
    String script = balancer.baseUrl() + "/vendor/sockjs/sockjs.min.js";
    assertEquals(200, Http.get(script).statusCode());
    HttpResponse<String> info = Http.get(balancer.baseUrl() + "/eventbus/info");
    assertEquals(200, info.statusCode());
    assertTrue(new JsonObject(info.body()).getBoolean("websocket"));
  }

  @Test
  @DisplayName("bridge WebSockets say hello through it, and are spread over both nodes")
  void webSockets() {
    Set<String> nodes = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      JsonObject welcome = connect(balancer).hello();
      assertNotNull(welcome.getString("peerId"));
      nodes.add(nodeOf(welcome));
    }
    assertEquals(Set.of(FIRST, SECOND), nodes);
  }

  @Test
  @DisplayName("every xhr_send of an XHR session reaches the node that holds the session")
  void xhrSessionsAreSticky() {
    Map<XhrSession, String> homes = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      XhrSession session = track(XhrSession.open(balancer.port()));
      homes.put(session, nodeOf(session.request(Addresses.HELLO, new JsonObject())));
    }
    assertEquals(Set.of(FIRST, SECOND), new HashSet<>(homes.values()), "sessions on both nodes");
    for (int round = 0; round < 5; round++) {
      homes.forEach(
          (session, home) ->
              assertEquals(home, nodeOf(session.request(Addresses.HELLO, new JsonObject()))));
    }
  }

  @Test
  @DisplayName("an XHR session's replies stream through without being held back to fill packets")
  void xhrRepliesAreNotHeldBack() {
    XhrSession session = track(XhrSession.open(balancer.port()));
    long[] millis = new long[11];
    for (int i = 0; i < millis.length; i++) {
      long start = System.nanoTime();
      session.request(Addresses.HELLO, new JsonObject());
      millis[i] = (System.nanoTime() - start) / 1_000_000;
    }
    Arrays.sort(millis);
    long median = millis[millis.length / 2];
    assertTrue(
        median < 100, () -> "median round trip " + median + " ms: " + Arrays.toString(millis));
  }

  @Test
  @DisplayName("the node that does not hold an XHR session answers its xhr_send with 404")
  void otherNodeRefusesTheSession() {
    XhrSession session = track(XhrSession.open(balancer.port()));
    boolean onFirst = FIRST.equals(nodeOf(session.request(Addresses.HELLO, new JsonObject())));
    JsonObject ping = new JsonObject().put("type", "ping");
    assertEquals(404, session.sendVia((onFirst ? second : first).port(), ping));
    assertEquals(204, session.sendVia((onFirst ? first : second).port(), ping));
  }

  @Test
  @DisplayName(
      "quotas count the client it forwards, not itself, whatever forwarding the client forges")
  void countsTheForwardedClient() {
    try (LoadBalancer toFirst = LoadBalancer.start(first)) {
      createChannel(toFirst, CLIENT, Map.of(), "forwarded-1");
      refuseChannel(toFirst, CLIENT, Map.of(), "forwarded-2");
      refuseChannel(toFirst, CLIENT, Map.of("X-Forwarded-For", "203.0.113.9"), "forwarded-3");
      refuseChannel(toFirst, CLIENT, Map.of("Forwarded", "for=198.51.100.7"), "forwarded-4");
      createChannel(toFirst, OTHER_CLIENT, Map.of(), "forwarded-5");
    }
  }

  @Test
  @DisplayName("a node that reports not ready loses its sockets and gets no new ones until ready")
  void notReadyNodeLeavesRotation() throws Exception {
    try (ServiceUnderTest staying = node(FIRST);
        ServiceUnderTest stuck = node(SECOND);
        LoadBalancer pair = LoadBalancer.start(staying, stuck)) {
      BridgeClient onStuck = socketOn(pair, SECOND, BridgeClient.WAIT);
      Handler<DeliveryContext<Object>> registryStuck = LoadBalancerTest::failStatus;
      stuck.vertx().eventBus().addOutboundInterceptor(registryStuck);
      assertEquals(503, Http.get(stuck.operationsUrl() + "/health/ready").statusCode());
      onStuck.awaitClose(HEALTH_CHANGE);
      for (int i = 0; i < 6; i++) {
        assertEquals(FIRST, nodeOf(connect(pair).hello()));
      }
      stuck.vertx().eventBus().removeOutboundInterceptor(registryStuck);
      socketOn(pair, SECOND, HEALTH_CHANGE);
    }
  }

  @Test
  @DisplayName(
      "when a node stops, new sessions all work on the other, before and after it is marked down")
  void stoppedNodeLeavesRotation() {
    ServiceUnderTest stopping = node(SECOND);
    try (ServiceUnderTest staying = node(FIRST);
        LoadBalancer pair = LoadBalancer.start(staying, stopping)) {
      socketOn(pair, SECOND, BridgeClient.WAIT);
      for (int i = 0; i < 3; i++) {
        socketOn(pair, FIRST, BridgeClient.WAIT);
      }
      stopping.close();
      // Within the three failed checks (about 3 s) a request may still reach the stopping node
      // while it closes; once the checks notice, every new session goes to the node that stays.
      awaitLog(pair, "node2 is DOWN");
      assertNewSessionsWorkOn(pair, FIRST);
    } finally {
      stopping.close();
    }
  }

  /** Three WebSocket and three XHR sessions, each answered by the given node. */
  private void assertNewSessionsWorkOn(LoadBalancer through, String node) {
    for (int i = 0; i < 3; i++) {
      assertEquals(node, nodeOf(connect(through).hello()));
      XhrSession session = track(XhrSession.open(through.port()));
      assertEquals(node, nodeOf(session.request(Addresses.HELLO, new JsonObject())));
    }
  }

  /**
   * A node that trusts the balancer's forwarding headers, starts one channel per client address,
   * and gives its own STUN server in every hello.
   */
  private static ServiceUnderTest node(String stun) {
    return ServiceUnderTest.start(
        new JsonObject()
            .put("trustedProxies", new JsonArray().add("127.0.0.1"))
            .put("maxChannelsPerAddress", 1)
            .put("iceServers", new JsonArray().add(new JsonObject().put("urls", stun))));
  }

  private static String nodeOf(JsonObject welcome) {
    return welcome.getJsonArray("iceServers").getJsonObject(0).getString("urls");
  }

  /** The readiness probe as when the registry is stuck: its status request fails at once. */
  private static void failStatus(DeliveryContext<Object> delivery) {
    if (Addresses.STATUS.equals(delivery.message().address())) {
      delivery.message().fail(503, "the test holds the registry");
    } else {
      delivery.next();
    }
  }

  private BridgeClient connect(LoadBalancer through) {
    return track(BridgeClient.connect(vertx, through.port()));
  }

  /** A socket through the balancer on the given node; sockets opened on the other stay open. */
  private BridgeClient socketOn(LoadBalancer through, String node, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    do {
      BridgeClient client = connect(through);
      if (node.equals(nodeOf(client.hello()))) {
        return client;
      }
      pause(Duration.ofMillis(100));
    } while (System.nanoTime() < deadline);
    return fail("no socket through the balancer reached " + node + " within " + within);
  }

  private BridgeClient broadcaster(LoadBalancer through, String from, Map<String, String> headers) {
    BridgeClient client = track(BridgeClient.connectFrom(vertx, from, through.port(), headers));
    client.hello();
    return client;
  }

  private void createChannel(
      LoadBalancer through, String from, Map<String, String> headers, String id) {
    JsonObject channel = new JsonObject().put("id", id);
    broadcaster(through, from, headers).request(Addresses.CREATE, channel);
  }

  private void refuseChannel(
      LoadBalancer through, String from, Map<String, String> headers, String id) {
    JsonObject channel = new JsonObject().put("id", id);
    broadcaster(through, from, headers)
        .refusal(Addresses.CREATE, channel)
        .assertCode("too_many_channels");
  }

  private static void awaitLog(LoadBalancer balancer, String text) {
    long deadline = System.nanoTime() + HEALTH_CHANGE.toNanos();
    while (!balancer.log().contains(text)) {
      if (System.nanoTime() > deadline) {
        fail("the balancer did not log \"" + text + "\" within " + HEALTH_CHANGE);
      }
      pause(Duration.ofMillis(100));
    }
  }

  private static void pause(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private <T extends AutoCloseable> T track(T client) {
    open.add(client);
    return client;
  }
}
