package dev.airwave.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("Client text cannot break a log line")
class LogTextTest {
  private static final String FORGED =
      "x\r\n2026-01-01 ERROR Main - forged\u001b[31m\t\u0007\u007f\u0085\u202e\u2066\u2028";

  @Test
  @DisplayName("control, C1, bidi and separator characters become visible escapes")
  void escapes() {
    assertEquals(
        "x\\r\\n2026-01-01 ERROR Main - forged\\u001b[31m\\t\\u0007\\u007f\\u0085\\u202e\\u2066"
            + "\\u2028",
        LogText.escape(FORGED));
    String plain = "viewer joined channel=demo name=\"Zoë 🎥\"";
    assertSame(plain, LogText.escape(plain));
  }

  @Test
  @DisplayName("a quoted field of client text can neither break the line nor close its quotes")
  void quoted() {
    assertEquals(
        "a\\nERROR \\u001b[31m\\\"x\\\" \\\\", LogText.quoted("a\nERROR \u001b[31m\"x\" \\", 64));
    assertEquals(64, LogText.quoted("x".repeat(500), 64).length());
    assertEquals("🎥".repeat(3), LogText.quoted("🎥".repeat(10), 3));
  }

  @Test
  @DisplayName("%safeMsg and %safeEx escape the message and every exception message")
  void converters() {
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent(
            getClass().getName(),
            context.getLogger("test"),
            Level.ERROR,
            "type {}",
            new IllegalStateException(FORGED, new RuntimeException(FORGED)),
            new Object[] {FORGED});
    String message = new EscapedMessageConverter().convert(event);
    assertEquals("type " + LogText.escape(FORGED), message);
    EscapedThrowableConverter stack = new EscapedThrowableConverter();
    stack.setContext(context);
    stack.start();
    String trace = stack.convert(event);
    assertTrue(trace.contains("IllegalStateException: " + LogText.escape(FORGED)), trace);
    assertTrue(trace.contains("RuntimeException: " + LogText.escape(FORGED)), trace);
    assertTrue(trace.lines().noneMatch(line -> line.startsWith("2026-01-01")), trace);
    assertTrue(trace.chars().noneMatch(c -> c == 0x1b || c == 0x202e), trace);
  }

  @Test
  @DisplayName("the JSON format keeps each event on one line and escapes control characters")
  void json() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    LoggingEvent event =
        new LoggingEvent(
            getClass().getName(),
            context.getLogger("test"),
            Level.WARN,
            "type {}",
            null,
            new Object[] {FORGED});
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.chars().noneMatch(c -> c == 0x1b || c == '\r' || c == 0x07), line);
  }
}
