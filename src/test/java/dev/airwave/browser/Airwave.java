package dev.airwave.browser;

import static dev.airwave.browser.Window.number;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** What a user does on the Airwave pages, in words a test can read. */
final class Airwave {
  static final Duration SHORT = Duration.ofSeconds(10);
  static final Duration PLAY = Duration.ofSeconds(20);

  private final Browser browser;
  private final String baseUrl;

  Airwave(Browser browser, String baseUrl) {
    this.browser = browser;
    this.baseUrl = baseUrl;
  }

  String shareLink(String channelId) {
    return baseUrl + "/?channel=" + channelId;
  }

  /** Opens the broadcaster page and waits for the camera preview. */
  Window openBroadcaster() {
    Window window = browser.open(baseUrl + "/?broadcaster=true");
    window.await("the camera preview", SHORT, w -> previewWidth(w) > 0);
    window.await("the connection", SHORT, Airwave::connected);
    return window;
  }

  /** Opens the broadcaster page and goes live on this channel id. */
  Window broadcast(String channelId) {
    Window window = openBroadcaster();
    window.type("channel-id-input", channelId);
    window.type("channel-title-input", "Test " + channelId);
    window.type("broadcaster-name-input", "Host");
    window.click("start-button");
    awaitLive(window, channelId);
    return window;
  }

  static void awaitLive(Window window, String channelId) {
    window.await(
        "the broadcast to be live on " + channelId,
        SHORT,
        w -> {
          Map<String, Object> b = w.broadcasterStats();
          return "live".equals(b.get("state")) && channelId.equals(b.get("channelId"));
        });
  }

  /** Opens the viewer page, types a name and a channel id, and presses Join. */
  Window watch(String name, String channelId) {
    Window window = browser.open(baseUrl + "/?viewer=true");
    window.await("the connection", SHORT, Airwave::connected);
    window.type("display-name-input", name);
    window.type("join-id-input", channelId);
    window.click("join-button");
    return window;
  }

  static boolean connected(Window window) {
    return "connected".equals(window.stats().get("connection"));
  }

  static long previewWidth(Window window) {
    Object width = window.script("return document.getElementById('local-preview').videoWidth");
    return width instanceof Number n ? n.longValue() : 0;
  }

  /** Waits until the viewer's video has dimensions and decoded frames. */
  static void awaitPlaying(Window viewer) {
    viewer.await(
        "decoded video",
        PLAY,
        w -> {
          Map<String, Object> v = w.viewerStats();
          return "playing".equals(v.get("state"))
              && number(v, "videoWidth") > 0
              && number(v, "framesDecoded") > 0;
        });
  }

  /**
   * Waits until, compared with now, every viewer has decoded more than ten more frames and received
   * more audio packets, its video having dimensions.
   */
  static void awaitMediaFlows(List<Window> viewers) {
    List<Map<String, Object>> before = viewers.stream().map(Window::viewerStats).toList();
    for (int i = 0; i < viewers.size(); i++) {
      Map<String, Object> was = before.get(i);
      viewers
          .get(i)
          .await("frames and sound after " + was, SHORT, w -> flows(was, w.viewerStats()));
    }
  }

  private static boolean flows(Map<String, Object> was, Map<String, Object> now) {
    return number(now, "videoWidth") > 0
        && number(now, "framesDecoded") > number(was, "framesDecoded") + 10
        && number(now, "audioPackets") > number(was, "audioPackets");
  }

  static String viewerState(Window viewer) {
    return String.valueOf(viewer.viewerStats().get("state"));
  }

  /** The chat lines shown in this window, as "name: text". */
  static List<String> chatLines(Window window) {
    List<WebElement> items = window.focus().findElements(By.cssSelector("#chat-log .chat-item"));
    return items.stream()
        .map(
            item ->
                item.findElement(By.className("chat-name")).getText()
                    + ": "
                    + item.findElement(By.className("chat-text")).getText())
        .toList();
  }

  /** Sends a chat line once the previous one has gone (the input is disabled while it sends). */
  static void say(Window window, String text) {
    window.await("the chat input", SHORT, w -> w.element("chat-input").isEnabled());
    window.type("chat-input", text);
    window.click("chat-send");
  }
}
