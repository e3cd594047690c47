package dev.airwave.browser;

import static dev.airwave.browser.Window.number;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a user does on the Airwave pages, in words a test can read, in pages that one opener opens.
 */
final class Airwave<P extends Page> {
  static final Duration SHORT = Duration.ofSeconds(10);
  static final Duration PLAY = Duration.ofSeconds(20);

  /** The text of every chat line shown, as "name: text". */
  private static final String CHAT_LINES =
      """
      return [...document.querySelectorAll('#chat-log .chat-item')].map((item) =>
        item.querySelector('.chat-name').textContent + ': '
          + item.querySelector('.chat-text').textContent);
      """;

  private final Function<String, P> open;
  private final String baseUrl;

  /** Pages come from {@code open} (a browser's window opener) for URLs under {@code baseUrl}. */
  Airwave(Function<String, P> open, String baseUrl) {
    this.open = open;
    this.baseUrl = baseUrl;
  }

  String shareLink(String channelId) {
    return baseUrl + "/?channel=" + channelId;
  }

  /** Opens the broadcaster page and waits for the camera preview. */
  P openBroadcaster() {
    P page = open.apply(baseUrl + "/?broadcaster=true");
    Page.until(page, "the camera preview", SHORT, w -> previewWidth(w) > 0);
    Page.until(page, "the connection", SHORT, Airwave::connected);
    return page;
  }

  /** Opens the broadcaster page and goes live on this channel id. */
  P broadcast(String channelId) {
    return broadcast(channelId, false);
  }

  /** The same, ticking "Let viewers pass the stream on" first when {@code relay}. */
  P broadcast(String channelId, boolean relay) {
    P page = openBroadcaster();
    page.type("channel-id-input", channelId);
    page.type("channel-title-input", "Test " + channelId);
    page.type("broadcaster-name-input", "Host");
    if (relay) {
      page.click("relay-input");
    }
    page.click("start-button");
    awaitLive(page, channelId);
    return page;
  }

  static void awaitLive(Page page, String channelId) {
    Page.until(
        page,
        "the broadcast to be live on " + channelId,
        SHORT,
        w -> {
          Map<String, Object> b = w.broadcasterStats();
          return "live".equals(b.get("state")) && channelId.equals(b.get("channelId"));
        });
  }

  /** Opens the viewer page, types a name and a channel id, and presses Join. */
  P watch(String name, String channelId) {
    P page = open.apply(baseUrl + "/?viewer=true");
    Page.until(page, "the connection", SHORT, Airwave::connected);
    page.type("display-name-input", name);
    page.type("join-id-input", channelId);
    page.click("join-button");
    return page;
  }

  static boolean connected(Page page) {
    return "connected".equals(page.stats().get("connection"));
  }

  static long previewWidth(Page page) {
    Object width = page.script("return document.getElementById('local-preview').videoWidth");
    return width instanceof Number n ? n.longValue() : 0;
  }

  /** Waits until the viewer's video has dimensions and decoded frames. */
  static void awaitPlaying(Page viewer) {
    Page.until(
        viewer,
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

  static String viewerState(Page viewer) {
    return String.valueOf(viewer.viewerStats().get("state"));
  }

  /** The chat lines shown in this page, as "name: text". */
  @SuppressWarnings("unchecked")
  static List<String> chatLines(Page page) {
    return (List<String>) page.script(CHAT_LINES);
  }

  /** Sends a chat line once the previous one has gone (the input is disabled while it sends). */
  static void say(Page page, String text) {
    Page.until(
        page,
        "the chat input",
        SHORT,
        p ->
            Boolean.FALSE.equals(
                p.script("return document.getElementById('chat-input').disabled")));
    page.type("chat-input", text);
    page.click("chat-send");
  }
}
