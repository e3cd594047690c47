package dev.airwave.browser;

import static dev.airwave.browser.Airwave.awaitPlaying;
import static dev.airwave.browser.Airwave.chatLines;
import static dev.airwave.browser.Airwave.say;
import static dev.airwave.browser.Window.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A broadcast between Firefox and Chromium, either way round")
class FirefoxInteropTest extends BrowserTest {
  /** Each device list's options as [label, selected], read from the broadcaster page. */
  private static final String DEVICE_LISTS =
      """
      return ['camera-select', 'mic-select'].map((id) =>
        [...document.getElementById(id).options].map((o) => [o.textContent, o.selected]));
      """;

  /** The viewer's state as the page shows it: [data-state, text]. */
  private static final String VIEWER_STATE =
      """
      const overlay = document.getElementById('viewer-state');
      return [overlay.dataset.state, overlay.textContent.trim()];
      """;

  private Firefox firefox;
  private Airwave<FirefoxPage> inFirefox;

  @BeforeAll
  void startFirefox() throws IOException {
    firefox = Firefox.launch();
    inFirefox = new Airwave<>(firefox::open, service.baseUrl());
  }

  @Override
  protected void stopOthers() {
    if (firefox != null) {
      firefox.close();
    }
  }

  @AfterEach
  void closeFirefoxPages() {
    try {
      for (FirefoxPage page : firefox.pages()) {
        assertEquals(List.of(), page.stats().get("errors"), "error notices shown in Firefox");
      }
    } finally {
      firefox.closePages();
      FirefoxPage cleaner = firefox.open(service.baseUrl() + "/health");
      try {
        cleaner.script("localStorage.removeItem('airwave.resume')");
      } finally {
        cleaner.close();
      }
    }
  }

  @Test
  @DisplayName(
      "a Firefox viewer plays a Chromium broadcast with sound, chats both ways, sees it end")
  void firefoxWatchesChromium() {
    Window host = airwave.broadcast("fox-watches");
    FirefoxPage viewer = inFirefox.watch("Fox", "fox-watches");
    awaitPlaying(viewer);
    assertMediaKeepsFlowing(viewer);
    assertEquals(false, viewer.viewerStats().get("muted"), "Firefox let it play with sound");
    assertChatBothWays(host, viewer);
    host.click("stop-button");
    assertEnded(viewer);
  }

  @Test
  @DisplayName("a Chromium viewer plays a Firefox broadcast, chats both ways and sees it end")
  void chromiumWatchesFirefox() {
    FirefoxPage host = inFirefox.broadcast("fox-live");
    assertEquals(
        List.of(
            List.of(List.of("Default Video Device", true)),
            List.of(List.of("Default Audio Device", true))),
        host.script(DEVICE_LISTS),
        "Firefox's camera and microphone listed, the ones in use selected");
    Window viewer = airwave.watch("Fox", "fox-live");
    awaitPlaying(viewer);
    assertMediaKeepsFlowing(viewer);
    assertChatBothWays(host, viewer);
    host.click("stop-button");
    assertEnded(viewer);
    Page.until(
        host,
        "the broadcaster's connections closed",
        Airwave.SHORT,
        h -> number(h.stats(), "openPeerConnections") == 0);
    assertEquals("idle", host.broadcasterStats().get("state"));
  }

  /** Frames and sound keep arriving, directly over loopback (no relay). */
  private static void assertMediaKeepsFlowing(Page viewer) {
    Map<String, Object> before = viewer.viewerStats();
    Page.until(
        viewer,
        "30 more frames and more sound",
        Airwave.SHORT,
        v -> {
          Map<String, Object> now = v.viewerStats();
          return number(now, "framesDecoded") > number(before, "framesDecoded") + 30
              && number(now, "audioPackets") > number(before, "audioPackets");
        });
    Map<String, Object> stats = viewer.viewerStats();
    assertEquals("host", stats.get("localCandidateType"), "the selected pair: " + stats);
    // the far end may be learnt from its first check (prflx) before its candidate arrives
    assertTrue(
        List.of("host", "prflx").contains(stats.get("remoteCandidateType")),
        "the selected pair: " + stats);
  }

  private static void assertChatBothWays(Page host, Page viewer) {
    say(viewer, "hello from Fox");
    for (Page page : List.of(host, viewer)) {
      Page.until(
          page, "Fox's line", Airwave.SHORT, p -> chatLines(p).contains("Fox: hello from Fox"));
    }
    say(host, "hello from Host");
    for (Page page : List.of(host, viewer)) {
      Page.until(
          page,
          "the host's line",
          Airwave.SHORT,
          p -> chatLines(p).contains("Host: hello from Host"));
    }
  }

  /**
   * The viewer says the broadcaster ended it (read from the page, not through getStats) and closes
   * its peer connection.
   */
  private static void assertEnded(Page viewer) {
    Page.until(
        viewer,
        "the ended state",
        Airwave.SHORT,
        v ->
            List.of("ended", "The broadcaster ended the broadcast.")
                .equals(v.script(VIEWER_STATE)));
    Page.until(
        viewer,
        "no open peer connection",
        Airwave.SHORT,
        v -> number(v.stats(), "openPeerConnections") == 0);
  }
}
