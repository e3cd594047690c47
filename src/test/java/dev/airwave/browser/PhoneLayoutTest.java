package dev.airwave.browser;

import static dev.airwave.browser.Airwave.awaitPlaying;
import static dev.airwave.browser.Airwave.chatLines;
import static dev.airwave.browser.Airwave.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("On a 390 x 844 phone the live broadcaster sees the camera, its controls and the chat")
class PhoneLayoutTest extends BrowserTest {
  /** Where each named part is, relative to the viewport, with the page scrolled to the top. */
  private static final String PLACES =
      """
      scrollTo(0, 0);
      const place = (el) => {
        const r = el.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
      };
      const items = document.querySelectorAll('#chat-log .chat-item');
      const link = document.getElementById('share-link');
      return {
        viewport: {width: innerWidth, height: innerHeight},
        preview: place(document.getElementById('local-preview')),
        mic: place(document.getElementById('mic-button')),
        stop: place(document.getElementById('stop-button')),
        chatInput: place(document.getElementById('chat-input')),
        lastLine: place(items[items.length - 1]),
        link: place(link),
        linkHidden: link.scrollWidth - link.clientWidth,
        pageHeight: document.documentElement.scrollHeight,
      };
      """;

  @Test
  @DisplayName("preview, controls, the share link and the latest chat line share one screen")
  @SuppressWarnings("unchecked")
  void liveBroadcasterOnAPhone() {
    Window host = airwave.broadcast("phone");
    Window ann = airwave.watch("Ann", "phone");
    awaitPlaying(ann);
    for (int i = 1; i <= 6; i++) {
      say(ann, "line " + i);
    }
    host.await("six lines", Airwave.SHORT, w -> chatLines(w).size() == 6);
    host.focus()
        .executeCdpCommand(
            "Emulation.setDeviceMetricsOverride",
            Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
    host.await(
        "the phone's width",
        Airwave.SHORT,
        w -> Long.valueOf(390).equals(w.script("return document.documentElement.clientWidth")));
    Map<String, Object> places = (Map<String, Object>) host.script(PLACES);
    Map<String, Object> viewport = (Map<String, Object>) places.get("viewport");
    double height = ((Number) viewport.get("height")).doubleValue();
    double width = ((Number) viewport.get("width")).doubleValue();
    for (String part : List.of("preview", "mic", "stop", "chatInput", "lastLine", "link")) {
      Map<String, Object> place = (Map<String, Object>) places.get(part);
      double top = ((Number) place.get("top")).doubleValue();
      double bottom = ((Number) place.get("bottom")).doubleValue();
      double right = ((Number) place.get("right")).doubleValue();
      assertTrue(
          top >= 0 && bottom <= height && right <= width,
          part + " is off the first screen: " + place + " (all: " + places + ")");
    }
    assertEquals(
        0L,
        ((Number) places.get("linkHidden")).longValue(),
        "the share link is cut off: " + places);
    host.focus().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }
}
