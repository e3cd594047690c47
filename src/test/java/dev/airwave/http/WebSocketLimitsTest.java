package dev.airwave.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.HonestBroadcast;
import dev.airwave.testing.LogCapture;
import dev.airwave.testing.ServiceTest;
import dev.airwave.testing.WireSocket;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A WebSocket that breaks the message rules is closed with its code, once, for good")
class WebSocketLimitsTest extends ServiceTest {
  private static final int LIMIT = 8192;
  private static final Duration TCP_BOUND = Duration.ofSeconds(8);
  private static final String SOCKJS_PATH = "/eventbus/123/abcdefgh/websocket";

  @Override
  protected JsonObject settings() {
    return new JsonObject()
        .put("maxFrameBytes", LIMIT)
        .put("chatPerSecond", 50.0)
        .put("chatBurst", 50);
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"/eventbus/websocket", SOCKJS_PATH})
  @DisplayName("a message over the limit in small fragments closes with 1009 and drops TCP")
  void fragmentedOversizeMessage(String path) {
    HonestBroadcast honest = HonestBroadcast.start(clients, channel("fragments", path));
    try (LogCapture logs = new LogCapture();
        WireSocket attacker = WireSocket.open(service.port(), path)) {
      byte[] chunk = new byte[2000];
      Arrays.fill(chunk, (byte) 'x');
      attacker.send(WireSocket.TEXT, false, "[\"".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 5; i++) {
        attacker.send(WireSocket.CONTINUATION, false, chunk);
      }
      assertEquals(1009, attacker.awaitCloseFrame(Duration.ofSeconds(5)));
      for (int i = 0; i < 200 && attacker.send(WireSocket.CONTINUATION, false, chunk); i++) {
        attacker.sendText("{\"type\":\"ping\"}");
      }
      assertTrue(attacker.awaitTcpClosed(TCP_BOUND), "the server dropped the TCP connection");
      honest.assertEverythingArrived();
      assertTrue(honest.rounds() > 0);
      assertOneCalmLine(logs, "1009");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"/eventbus/websocket", SOCKJS_PATH})
  @DisplayName("one frame over the limit closes with 1009 and drops TCP")
  void oversizeFrame(String path) {
    HonestBroadcast honest = HonestBroadcast.start(clients, channel("frame", path));
    try (LogCapture logs = new LogCapture();
        WireSocket attacker = WireSocket.open(service.port(), path)) {
      byte[] big = new byte[LIMIT + 100];
      Arrays.fill(big, (byte) 'x');
      attacker.send(WireSocket.TEXT, true, big);
      assertEquals(1009, attacker.awaitCloseFrame(Duration.ofSeconds(5)));
      assertTrue(attacker.awaitTcpClosed(TCP_BOUND), "the server dropped the TCP connection");
      honest.assertEverythingArrived();
      assertOneCalmLine(logs, "1009");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"/eventbus/websocket", SOCKJS_PATH})
  @DisplayName("a text message that is not UTF-8, even split in fragments, closes with 1007")
  void invalidUtf8(String path) {
    HonestBroadcast honest = HonestBroadcast.start(clients, channel("utf8", path));
    try (LogCapture logs = new LogCapture();
        WireSocket attacker = WireSocket.open(service.port(), path)) {
      attacker.send(WireSocket.TEXT, false, "{\"type\":\"ping\"".getBytes(StandardCharsets.UTF_8));
      attacker.send(WireSocket.CONTINUATION, true, new byte[] {(byte) 0xc3, 0x28, '}'});
      assertEquals(1007, attacker.awaitCloseFrame(Duration.ofSeconds(5)));
      for (int i = 0; i < 100 && attacker.send(WireSocket.TEXT, true, new byte[] {(byte) 0xff}); ) {
        i++;
      }
      assertTrue(attacker.awaitTcpClosed(TCP_BOUND), "the server dropped the TCP connection");
      honest.assertEverythingArrived();
      assertOneCalmLine(logs, "1007");
    }
  }

  @Test
  @DisplayName("a message just under the limit still goes through")
  void messageUnderTheLimit() {
    BridgeClient broadcaster = clients.broadcaster("under");
    BridgeClient ann = clients.viewer("under", "Ann");
    String sdp = "v=0 " + "x".repeat(4000);
    broadcaster.request("airwave.signal", dev.airwave.testing.Signals.offer(ann.peerId(), sdp));
    assertEquals(
        sdp, ann.next("offer").getJsonObject("description").getString("sdp"), "relayed whole");
  }

  @Test
  @DisplayName("a viewer that vanishes (TCP reset) is a disconnect: no WARN or ERROR, no stack")
  void abruptDisconnect() {
    BridgeClient broadcaster = clients.broadcaster("vanish");
    try (LogCapture logs = new LogCapture()) {
      for (int i = 0; i < 5; i++) {
        WireSocket viewer = WireSocket.open(service.port(), "/eventbus/websocket");
        viewer.sendText(
            new JsonObject()
                .put("type", "send")
                .put("address", "airwave.channel.join")
                .put("body", new JsonObject().put("id", "vanish").put("name", "V" + i))
                .put("replyAddress", "r" + i)
                .encode());
        broadcaster.next("viewer-joined");
        viewer.reset();
        assertEquals("disconnected", broadcaster.next("viewer-left").getString("reason"));
      }
      broadcaster.sync();
      List<ILoggingEvent> loud = logs.warnings();
      assertEquals(List.of(), loud.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
  }

  private static String channel(String name, String path) {
    return name + (path.equals(SOCKJS_PATH) ? "-sockjs" : "-raw");
  }

  /** Exactly one log line about the closed socket, at WARN, with no stack trace; no ERROR. */
  private static void assertOneCalmLine(LogCapture logs, String code) {
    List<ILoggingEvent> about = logs.mentioning(" with " + code);
    assertEquals(1, about.size(), () -> "lines: " + logs.texts());
    assertEquals(Level.WARN, about.get(0).getLevel());
    assertEquals(null, about.get(0).getThrowableProxy());
    assertEquals(
        List.of(),
        logs.events().stream()
            .filter(e -> e.getLevel() == Level.ERROR || e.getThrowableProxy() != null)
            .map(ILoggingEvent::getFormattedMessage)
            .toList());
  }
}
