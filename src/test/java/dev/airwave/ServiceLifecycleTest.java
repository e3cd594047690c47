package dev.airwave;

import static dev.airwave.testing.Signals.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.Clients;
import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("The service as a whole: logs and graceful shutdown")
@Tag("integration")
class ServiceLifecycleTest {
  @Test
  @DisplayName("stopping the service ends every channel and tells its members why")
  void shutdownTellsMembers() {
    ServiceUnderTest service = ServiceUnderTest.start();
    try (Clients clients = new Clients(service)) {
      BridgeClient broadcaster = clients.broadcaster("bye");
      BridgeClient ann = clients.viewer("bye", "Ann");
      BridgeClient waiting = clients.viewer("not-yet", "Bob");
      service.close();
      assertEquals("shutdown", ann.next("channel-ended").getString("reason"));
      assertEquals("shutdown", broadcaster.next("channel-ended").getString("reason"));
      assertEquals("shutdown", waiting.next("channel-ended").getString("reason"));
    }
  }

  @Test
  @DisplayName("INFO logs one line per channel event and never SDP or chat text")
  void logsCarryEventsNotContent() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try (ServiceUnderTest service = ServiceUnderTest.start();
        Clients clients = new Clients(service)) {
      BridgeClient broadcaster = clients.broadcaster("logged");
      BridgeClient ann = clients.viewer("logged", "Ann");
      broadcaster.request("airwave.signal", offer(ann.peerId(), "v=0 SECRET-SDP"));
      ann.request("airwave.chat.send", new JsonObject().put("text", "SECRET-CHAT"));
      ann.request("airwave.channel.leave", new JsonObject());
      broadcaster.request("airwave.channel.stop", new JsonObject().put("id", "logged"));
      broadcaster.sync();
    } finally {
      root.detachAppender(captured);
    }
    List<String> lines = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertFalse(lines.stream().anyMatch(l -> l.contains("SECRET")), lines::toString);
    for (String event :
        List.of(
            "channel created id=logged",
            "viewer joined channel=logged",
            "viewer left channel=logged",
            "channel ended id=logged")) {
      assertTrue(
          lines.stream().anyMatch(l -> l.startsWith(event)), () -> event + " not in " + lines);
    }
  }
}
