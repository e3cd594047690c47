package dev.airwave.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Every control is labelled and every page fits a 360 px phone")
class AccessibilityTest extends BrowserTest {
  /** Visible controls without an accessible name: label, aria-label(ledby), title or text. */
  private static final String UNLABELLED =
      """
      const named = (el) => {
        if (el.labels && el.labels.length && [...el.labels].some((l) => l.textContent.trim())) return true;
        if ((el.getAttribute('aria-label') || '').trim() || (el.title || '').trim()) return true;
        const by = el.getAttribute('aria-labelledby');
        if (by && by.split(/\\s+/).some((id) => document.getElementById(id)?.textContent.trim())) return true;
        return ['BUTTON', 'A'].includes(el.tagName) && el.textContent.trim() !== '';
      };
      const visible = (el) => el.offsetParent !== null || el.getClientRects().length > 0;
      return [...document.querySelectorAll('input, select, textarea, button, a[href], video, [role=button]')]
        .filter((el) => visible(el) && el.type !== 'hidden' && !named(el))
        .map((el) => el.outerHTML.slice(0, 120));
      """;

  private static void assertLabelled(Window window, String page) {
    assertEquals(List.of(), window.script(UNLABELLED), "unlabelled controls on " + page);
  }

  private static void assertFitsPhone(Window window, String page) {
    window.emulateScreen(360, 740);
    Object overflow =
        window.script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertTrue(
        ((Number) overflow).longValue() <= 0, page + " scrolls sideways at 360 px: " + overflow);
    window.focus().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  @Test
  @DisplayName("the broadcaster page, before and while live")
  void broadcasterPage() {
    Window host = airwave.openBroadcaster();
    assertLabelled(host, "the broadcaster setup");
    assertFitsPhone(host, "the broadcaster setup");
    host.close();
    Window live = airwave.broadcast("a11y");
    assertLabelled(live, "the live broadcaster page");
    assertFitsPhone(live, "the live broadcaster page");
  }

  @Test
  @DisplayName("the viewer page: the channel list and a playing broadcast")
  void viewerPage() {
    airwave.broadcast("a11y-watch");
    Window viewer = airwave.watch("Ann", "a11y-watch");
    Airwave.awaitPlaying(viewer);
    assertLabelled(viewer, "the viewer page while playing");
    assertFitsPhone(viewer, "the viewer page while playing");
    Window list = browser.open(service.baseUrl() + "/?viewer=true");
    list.await(
        "the channel list",
        Airwave.SHORT,
        w -> w.script("return document.querySelector('#channel-list li') !== null").equals(true));
    assertLabelled(list, "the channel list");
    assertFitsPhone(list, "the channel list");
    list.script(
        "document.body.append(Object.assign(document.createElement('input'), {id: 'probe'}))");
    assertEquals(1, ((List<?>) list.script(UNLABELLED)).size(), "the check finds a bare input");
  }
}
