package dev.airwave.browser;

import static dev.airwave.browser.Airwave.awaitLive;
import static dev.airwave.browser.Airwave.awaitPlaying;
import static dev.airwave.browser.Airwave.chatLines;
import static dev.airwave.browser.Airwave.say;
import static dev.airwave.browser.Airwave.viewerState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

@DisplayName("What people meet on the pages: refusals, history, presence, the ended screen")
class PageDetailsTest extends BrowserTest {
  @Override
  protected JsonObject settings() {
    // A channel is evicted 4 s after its last activity, so that a frozen page's channel goes.
    return new JsonObject().put("idleTimeoutSeconds", 4).put("sweepSeconds", 1);
  }

  @Test
  @DisplayName("a full channel is marked in the list, and its refusal names it by title, once")
  void fullChannelIsMarkedAndNamed() {
    Window host = airwave.openBroadcaster();
    host.type("channel-id-input", "full1");
    host.type("channel-title-input", "Quiz night");
    host.type("max-viewers-input", "1");
    host.click("start-button");
    awaitLive(host, "full1");
    airwave.watch("Ann", "full1");
    Window bob = browser.open(service.baseUrl() + "/?viewer=true");
    bob.await(
        "the list to mark the channel full",
        Airwave.SHORT,
        w -> "true".equals(listItem(w, "full1").getDomAttribute("data-full")));
    WebElement item = listItem(bob, "full1");
    assertFalse(item.findElement(By.tagName("button")).isEnabled(), "no Watch button to press");
    assertTrue(item.getText().contains("Full"), item.getText());

    bob.type("join-id-input", "full1");
    bob.click("join-button");
    bob.await("the refusal", Airwave.SHORT, w -> !w.element("notice").getText().isEmpty());
    assertEquals("Channel \u201cQuiz night\u201d has no free place.", bob.text("notice"));
    bob.script("airwaveDebug.forgetErrors()");
  }

  @Test
  @DisplayName("the broadcaster sees its title, and who joins, renames and leaves as quiet lines")
  void presenceInTheChat() {
    Window host = airwave.broadcast("presence");
    assertEquals("Test presence", host.text("live-title"));
    Window ann = airwave.watch("Ann", "presence");
    awaitNote(host, "Ann joined");
    awaitPlaying(ann);
    ann.type("rename-input", "Anna");
    ann.click("rename-button");
    ann.await("the new name", Airwave.SHORT, w -> "Anna".equals(w.viewerStats().get("name")));
    awaitNote(host, "Ann is now Anna");
    ann.close();
    awaitNote(host, "Anna left");
    assertFalse(host.text("notice").contains("Ann"), "presence is never an alert");
  }

  @Test
  @DisplayName("late viewers and a broadcaster who reloads read the same conversation")
  void historyIsReplayed() {
    Window host = airwave.broadcast("history");
    Window ann = airwave.watch("Ann", "history");
    awaitPlaying(ann);
    say(ann, "first line");
    say(host, "second line");
    List<String> conversation = List.of("Ann: first line", "Host: second line");
    ann.await("both lines", Airwave.SHORT, w -> chatLines(w).equals(conversation));

    Window bob = airwave.watch("Bob", "history");
    bob.await("the earlier lines", Airwave.SHORT, w -> chatLines(w).equals(conversation));

    host.focus().navigate().refresh();
    awaitLive(host, "history");
    host.await("the conversation back", Airwave.SHORT, w -> chatLines(w).equals(conversation));
    say(bob, "third line");
    for (Window w : List.of(host, ann, bob)) {
      w.await(
          "three lines, none twice",
          Airwave.SHORT,
          x ->
              chatLines(x)
                  .equals(List.of("Ann: first line", "Host: second line", "Bob: third line")));
    }
  }

  @Test
  @DisplayName("the ended screen keeps the conversation and drops what no longer applies")
  void endedScreen() {
    Window host = airwave.broadcast("ending");
    Window ann = airwave.watch("Ann", "ending");
    awaitPlaying(ann);
    say(ann, "bye now");
    ann.await("the line", Airwave.SHORT, w -> chatLines(w).contains("Ann: bye now"));
    host.click("stop-button");
    ann.await("the ended state", Airwave.SHORT, w -> "ended".equals(viewerState(w)));

    assertTrue(ann.element("chat-panel").isDisplayed(), "the chat stays");
    assertEquals(List.of("Ann: bye now"), chatLines(ann));
    assertFalse(ann.element("chat-input").isEnabled(), "nothing more to send");
    assertFalse(ann.element("fullscreen-button").isDisplayed());
    assertFalse(ann.element("rename-form").isDisplayed());
    assertFalse(ann.element("watch-audience").isDisplayed(), "no stale count");
    assertEquals("Back to channels", ann.text("leave-button"));

    ann.click("leave-button");
    ann.await("the lobby", Airwave.SHORT, w -> w.element("viewer-lobby").isDisplayed());
    assertFalse(ann.element("notice").isDisplayed(), "no notice left over");
    assertFalse(ann.element("chat-panel").isDisplayed());
  }

  @Test
  @DisplayName("a broadcaster whose frozen page let its channel go idle is told why it ended")
  void idleEvictionIsExplained() {
    Window host = airwave.broadcast("sleepy");
    // A lobby sees the channel go. (A playing viewer would keep it alive: when the frozen page's
    // media stops, the viewer restarts ICE, and its signals are activity.)
    Window lobby = browser.open(service.baseUrl() + "/?viewer=true");
    lobby.await("the channel listed", Airwave.SHORT, w -> listed(w, "sleepy"));
    // A frozen page (as Chromium freezes background tabs) sends no keep-alive.
    host.focus().executeCdpCommand("Page.setWebLifecycleState", Map.of("state", "frozen"));
    // 4 s of silence and a 1 s sweep; the bound leaves room for a loaded machine.
    lobby.await("the channel to be evicted", Duration.ofSeconds(30), w -> !listed(w, "sleepy"));
    host.focus().executeCdpCommand("Page.setWebLifecycleState", Map.of("state", "active"));
    // Told by the channel-ended event, or by the refused resume if its socket was dropped
    // meanwhile.
    host.await("the reason", Airwave.PLAY, w -> w.text("notice").contains("without activity"));
    String notice = host.text("notice");
    assertTrue(notice.contains("\u201cTest sleepy\u201d was closed after"), notice);
    assertEquals("idle", host.broadcasterStats().get("state"));
    host.script("airwaveDebug.forgetErrors()");
  }

  private static boolean listed(Window window, String channelId) {
    return !window
        .focus()
        .findElements(By.cssSelector("[data-channel-id='" + channelId + "']"))
        .isEmpty();
  }

  private static WebElement listItem(Window window, String channelId) {
    return window.focus().findElement(By.cssSelector("[data-channel-id='" + channelId + "']"));
  }

  private static void awaitNote(Window window, String text) {
    window.await(
        "the note " + text,
        Airwave.SHORT,
        w ->
            w.focus().findElements(By.cssSelector("#chat-log .chat-note")).stream()
                .anyMatch(note -> note.getText().equals(text)));
  }
}
