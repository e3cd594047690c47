package dev.airwave.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Waiting viewers when the broadcast starts, as the pages show it")
class WaitingRoomTest extends BrowserTest {
  @Test
  @DisplayName(
      "a waiter who took the broadcaster's name watches under a guest name; one past the cap is told")
  void nameGivesWayAndOverflowIsTold() {
    Window first = airwave.watch("Host", "room");
    first.await("waiting", Airwave.SHORT, w -> "waiting".equals(Airwave.viewerState(w)));
    Window second = airwave.watch("Ann", "room");
    second.await("waiting", Airwave.SHORT, w -> "waiting".equals(Airwave.viewerState(w)));
    Window host = airwave.openBroadcaster();
    host.type("channel-id-input", "room");
    host.type("broadcaster-name-input", "Host");
    host.type("max-viewers-input", "1");
    host.click("start-button");
    Airwave.awaitLive(host, "room");
    Airwave.awaitPlaying(first);
    String renamed = String.valueOf(first.viewerStats().get("name"));
    assertTrue(renamed.startsWith("Viewer "), renamed);
    second.await("the refusal", Airwave.SHORT, w -> "ended".equals(Airwave.viewerState(w)));
    assertTrue(
        second.text("viewer-state").contains("no place for you"), second.text("viewer-state"));
  }
}
