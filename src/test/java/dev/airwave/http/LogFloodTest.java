package dev.airwave.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.HonestBroadcast;
import dev.airwave.testing.LogCapture;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Clients can neither forge log lines nor buy one per frame")
class LogFloodTest extends ServiceTest {
  private static final int FRAMES = 1000;
  private static final String FORGED =
      "x\n2026-01-01 00:00:00.000 ERROR Main - forged\u001b[31m red\u202e\u0085";

  @Override
  protected JsonObject settings() {
    return new JsonObject().put("chatPerSecond", 50.0).put("chatBurst", 50);
  }

  @Test
  @DisplayName(
      "1000 frames with a forged-log type are answered invalid_type and summed up in one line")
  void forgedTypes() {
    HonestBroadcast honest = HonestBroadcast.start(clients, "forged");
    try (LogCapture logs = new LogCapture()) {
      BridgeClient attacker = clients.ready();
      String frame = new JsonObject().put("type", FORGED).put("address", "airwave.hello").encode();
      for (int i = 0; i < FRAMES; i++) {
        attacker.sendText(frame);
      }
      for (int i = 0; i < FRAMES; i++) {
        assertEquals("invalid_type", attacker.nextBridgeError());
      }
      attacker.sync();
      attacker.close();
      honest.assertEverythingArrived();
      assertSummary(logs, "invalid_type", FRAMES);
      assertNothingForged(logs);
    }
  }

  @Test
  @DisplayName("a numeric or over-long replyAddress is answered invalid_reply_address, no stack")
  void badReplyAddresses() {
    HonestBroadcast honest = HonestBroadcast.start(clients, "replies");
    try (LogCapture logs = new LogCapture()) {
      BridgeClient attacker = clients.ready();
      JsonObject send =
          new JsonObject().put("type", "send").put("address", "airwave.hello").put("body", "{}");
      for (int i = 0; i < FRAMES / 2; i++) {
        attacker.sendFrame(send.copy().put("replyAddress", 42));
        attacker.sendFrame(send.copy().put("replyAddress", FORGED + "r".repeat(37)));
      }
      for (int i = 0; i < FRAMES; i++) {
        assertEquals("invalid_reply_address", attacker.nextBridgeError());
      }
      attacker.sync();
      attacker.close();
      honest.assertEverythingArrived();
      assertSummary(logs, "invalid_reply_address", FRAMES);
      assertNothingForged(logs);
    }
  }

  @Test
  @DisplayName("frames the bridge would throw at get a code; its own warnings go to the tally")
  void otherMalformedFrames() {
    HonestBroadcast honest = HonestBroadcast.start(clients, "others");
    try (LogCapture logs = new LogCapture()) {
      BridgeClient attacker = clients.ready();
      String inbox = attacker.inbox();
      for (int i = 0; i < FRAMES / 4; i++) {
        attacker.sendText("{\"type\":7,\"address\":\"airwave.hello\"}");
        attacker.sendFrame(new JsonObject().put("type", "send").put("address", List.of(FORGED)));
        attacker.sendText("{\"type\":\"send\",\"address\":\"airwave.hello\",\"headers\":\"h\"}");
        attacker.sendFrame(new JsonObject().put("type", "register").put("address", inbox));
      }
      List<String> expected = List.of("invalid_type", "invalid_address", "invalid_headers");
      for (int i = 0; i < FRAMES / 4; i++) {
        for (String code : expected) {
          assertEquals(code, attacker.nextBridgeError());
        }
        assertEquals("address_already_registered", attacker.nextBridgeError());
      }
      attacker.close();
      honest.assertEverythingArrived();
      for (String code : expected) {
        assertSummary(logs, code, FRAMES / 4);
      }
      assertSummary(logs, "library_warning", FRAMES / 4);
      assertNothingForged(logs);
    }
  }

  @Test
  @DisplayName("ordinary disconnects of many clients log nothing at WARN or ERROR")
  void disconnectsAreQuiet() {
    try (LogCapture logs = new LogCapture()) {
      for (int i = 0; i < 20; i++) {
        BridgeClient client = clients.ready();
        client.close();
      }
      clients.ready().sync();
      assertEquals(List.of(), logs.warnings().stream().map(ILoggingEvent::getMessage).toList());
    }
  }

  /** One WARN line for the socket and this kind, with the count, and no stack trace. */
  private static void assertSummary(LogCapture logs, String kind, int count) {
    List<ILoggingEvent> lines = awaitLines(logs, "x " + kind);
    assertEquals(1, lines.size(), () -> "lines: " + logs.texts());
    assertEquals(Level.WARN, lines.get(0).getLevel());
    assertTrue(lines.get(0).getFormattedMessage().contains(count + " x " + kind));
    assertEquals(null, lines.get(0).getThrowableProxy());
  }

  private static List<ILoggingEvent> awaitLines(LogCapture logs, String text) {
    for (int i = 0; i < 50 && logs.mentioning(text).isEmpty(); i++) {
      pause();
    }
    return logs.mentioning(text);
  }

  /** No ERROR at all, no stack traces, and no line holding the client's control characters. */
  private static void assertNothingForged(LogCapture logs) {
    assertTrue(logs.events().size() < 20, () -> "too many lines: " + logs.texts());
    for (ILoggingEvent event : logs.events()) {
      assertFalse(event.getLevel() == Level.ERROR, event::getFormattedMessage);
      assertEquals(null, event.getThrowableProxy(), event::getFormattedMessage);
    }
    for (String text : logs.texts()) {
      assertFalse(text.contains("forged"), text);
      assertTrue(text.chars().noneMatch(c -> c == '\n' || c == 0x1b || c == 0x202e), text);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
