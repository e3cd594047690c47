package dev.airwave.browser;

import static dev.airwave.browser.Airwave.awaitPlaying;
import static dev.airwave.browser.Airwave.chatLines;
import static dev.airwave.browser.Airwave.say;
import static dev.airwave.browser.Airwave.viewerState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The pages against axe-core's WCAG 2 A and AA rules, colour contrast among them: axe-core comes
 * from npm with the front end's dev tools ({@code npm ci --prefix src/test/js}).
 */
@DisplayName("The pages pass axe-core's WCAG 2 A and AA rules, colour contrast included")
class AxeTest extends BrowserTest {
  private static final Path AXE = Path.of("src/test/js/node_modules/axe-core/axe.min.js");

  /**
   * Runs axe on the page as it is; answers one line per violation and element. A live picture has
   * no captions to give, so the one rule about captions of recorded video is off.
   */
  private static final String RUN =
      """
      const done = arguments[arguments.length - 1];
      axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
        rules: {'video-caption': {enabled: false}},
      }).then((result) => done(result.violations.flatMap((v) =>
          v.nodes.map((n) => v.id + ' ' + n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ')))),
        (e) => done(['axe failed: ' + e]));
      """;

  private static List<?> violations(Window window) {
    String axe;
    try {
      axe = Files.readString(AXE);
    } catch (IOException e) {
      throw new AssertionError(
          "axe-core is missing: run `npm ci --prefix src/test/js` first (" + AXE + ")", e);
    }
    window.script(axe);
    return (List<?>) ((JavascriptExecutor) window.focus()).executeAsyncScript(RUN);
  }

  private static void assertPasses(Window window, String page) {
    assertEquals(List.of(), violations(window), "axe-core on " + page);
  }

  @Test
  @DisplayName("the broadcaster page live with chat, the playing viewer, the list and the end")
  void everyScreen() {
    Window setup = airwave.openBroadcaster();
    assertPasses(setup, "the broadcaster setup");
    setup.close();
    Window host = airwave.broadcast("axe");
    Window ann = airwave.watch("Ann", "axe");
    awaitPlaying(ann);
    say(ann, "hello");
    say(host, "welcome");
    host.await("two lines", Airwave.SHORT, w -> chatLines(w).size() == 2);
    assertPasses(host, "the live broadcaster page");
    assertPasses(ann, "the playing viewer page");

    Window list = browser.open(service.baseUrl() + "/?viewer=true");
    list.await(
        "the channel list",
        Airwave.SHORT,
        w -> w.script("return document.querySelector('#channel-list li') !== null").equals(true));
    assertPasses(list, "the channel list");

    host.click("stop-button");
    ann.await("the ended state", Airwave.SHORT, w -> "ended".equals(viewerState(w)));
    assertPasses(ann, "the ended screen");
  }

  @Test
  @DisplayName("the check finds low contrast when there is some")
  void findsLowContrast() {
    Window page = browser.open(service.baseUrl() + "/?viewer=true");
    page.await("the connection", Airwave.SHORT, Airwave::connected);
    page.script(
        "const p = document.createElement('p'); p.textContent = 'faint';"
            + " p.style.color = '#333'; p.style.background = '#0f1115'; document.body.append(p)");
    assertTrue(
        violations(page).stream().anyMatch(v -> String.valueOf(v).startsWith("color-contrast")),
        "axe reports the faint text");
  }
}
