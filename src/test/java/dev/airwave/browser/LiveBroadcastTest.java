package dev.airwave.browser;

import static dev.airwave.browser.Airwave.awaitLive;
import static dev.airwave.browser.Airwave.awaitMediaFlows;
import static dev.airwave.browser.Airwave.awaitPlaying;
import static dev.airwave.browser.Airwave.chatLines;
import static dev.airwave.browser.Airwave.say;
import static dev.airwave.browser.Airwave.viewerState;
import static dev.airwave.browser.Window.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

@DisplayName("A live broadcast, in real browsers")
class LiveBroadcastTest extends BrowserTest {
  @Override
  protected JsonObject settings() {
    return new JsonObject().put("graceSeconds", 20);
  }

  @Test
  @DisplayName("three viewers see moving video and receive sound")
  void threeViewersSeeAndHear() {
    airwave.broadcast("three");
    List<Window> viewers =
        List.of(
            airwave.watch("Ann", "three"),
            airwave.watch("Bob", "three"),
            airwave.watch("Cy", "three"));
    viewers.forEach(Airwave::awaitPlaying);
    awaitMediaFlows(viewers);
  }

  @Test
  @DisplayName("chat reaches everyone with the right name, and markup shows as text")
  void chatReachesEveryone() {
    Window host = airwave.broadcast("chat");
    Window ann = airwave.watch("Ann", "chat");
    Window bob = airwave.watch("Bob", "chat");
    Window cy = airwave.watch("Cy", "chat");
    List<Window> everyone = List.of(host, ann, bob, cy);
    List.of(ann, bob, cy).forEach(Airwave::awaitPlaying);

    say(ann, "hello from Ann");
    everyone.forEach(w -> awaitChat(w, "Ann: hello from Ann"));
    say(host, "welcome all");
    everyone.forEach(w -> awaitChat(w, "Host: welcome all"));
    String attack = "<img src=x onerror=alert(1)>";
    say(bob, attack);
    for (Window w : everyone) {
      awaitChat(w, "Bob: " + attack);
      assertTrue(
          w.focus().findElements(By.cssSelector("#chat-log img")).isEmpty(), "no img element");
    }
  }

  @Test
  @DisplayName("the broadcaster's viewer count goes 0, 3, then 2 when a window closes")
  void presenceCounts() {
    Window host = airwave.broadcast("presence");
    assertEquals("0", host.text("viewer-count"));
    Window ann = airwave.watch("Ann", "presence");
    airwave.watch("Bob", "presence");
    airwave.watch("Cy", "presence");
    host.await("three viewers", Airwave.SHORT, w -> "3".equals(w.text("viewer-count")));
    host.await("three names", Airwave.SHORT, w -> w.text("viewer-list").contains("Cy"));
    ann.close();
    host.await("two viewers", Airwave.SHORT, w -> "2".equals(w.text("viewer-count")));
    host.await(
        "Ann gone from the list", Airwave.SHORT, w -> !w.text("viewer-list").contains("Ann"));
    host.await(
        "Ann's connection closed",
        Airwave.SHORT,
        w -> ((List<?>) w.broadcasterStats().get("peers")).size() == 2);
  }

  @Test
  @DisplayName(
      "the channel list shows a new broadcast by itself, and Watch works from the keyboard")
  void channelListUpdatesByItself() {
    Window lobby = browser.open(service.baseUrl() + "/?viewer=true");
    lobby.await("the connection", Airwave.SHORT, Airwave::connected);
    lobby.type("display-name-input", "Dee");
    airwave.broadcast("listed");
    lobby.await(
        "the new channel in the list",
        Airwave.SHORT,
        w -> w.text("channel-list").contains("Test listed"));
    WebElement watch =
        lobby
            .focus()
            .findElement(By.cssSelector("#channel-list [data-channel-id='listed'] button"));
    assertEquals("Watch Test listed", watch.getAttribute("aria-label"));
    watch.sendKeys(Keys.ENTER);
    awaitPlaying(lobby);
    assertEquals("Dee", lobby.viewerStats().get("name"));
  }

  @Test
  @DisplayName("when the browser blocks sound, the video plays muted with a tap-to-unmute button")
  void blockedSoundOffersUnmute() {
    airwave.broadcast("muted");
    Window viewer = browser.open(service.baseUrl() + "/?viewer=true");
    viewer.await("the connection", Airwave.SHORT, Airwave::connected);
    viewer.script(
        "const play = HTMLMediaElement.prototype.play;"
            + "window.realPlay = play;"
            + "HTMLMediaElement.prototype.play = function () {"
            + "  return this.muted ? play.call(this)"
            + "    : Promise.reject(new DOMException('blocked', 'NotAllowedError')); };");
    viewer.type("display-name-input", "Eve");
    viewer.type("join-id-input", "muted");
    viewer.click("join-button");
    awaitPlaying(viewer);
    viewer.await("the unmute button", Airwave.SHORT, w -> w.element("unmute-button").isDisplayed());
    assertEquals("Tap to unmute", viewer.text("unmute-button"));
    assertEquals(Boolean.TRUE, viewer.viewerStats().get("muted"));
    viewer.script("HTMLMediaElement.prototype.play = window.realPlay");
    viewer.click("unmute-button");
    viewer.await(
        "sound on", Airwave.SHORT, w -> Boolean.FALSE.equals(w.viewerStats().get("muted")));
    assertTrue(!viewer.element("unmute-button").isDisplayed());
  }

  @Test
  @DisplayName("a viewer who opens the link early plays within seconds of the start")
  void earlyViewerPlaysOnStart() {
    Window early = browser.open(airwave.shareLink("early"));
    early.await("the waiting state", Airwave.SHORT, w -> "waiting".equals(viewerState(w)));
    assertTrue(early.text("viewer-state").toLowerCase().contains("waiting"));
    long started = System.nanoTime();
    airwave.broadcast("early");
    awaitPlaying(early);
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    assertTrue(seconds < 10, "played " + seconds + " s after the start");
    awaitMediaFlows(List.of(early));
  }

  @Test
  @DisplayName("stopping shows every viewer the ended state and closes their connections")
  void stopEndsForEveryone() {
    Window host = airwave.broadcast("stop");
    List<Window> viewers = List.of(airwave.watch("Ann", "stop"), airwave.watch("Bob", "stop"));
    viewers.forEach(Airwave::awaitPlaying);
    host.click("stop-button");
    for (Window viewer : viewers) {
      viewer.await("the ended state", Airwave.SHORT, w -> "ended".equals(viewerState(w)));
      assertTrue(viewer.text("viewer-state").contains("ended"), viewer.text("viewer-state"));
      assertEquals(0, number(viewer.stats(), "openPeerConnections"));
    }
    host.await(
        "no connections left", Airwave.SHORT, w -> number(w.stats(), "openPeerConnections") == 0);
    assertEquals("Not live", host.text("broadcast-state"));
  }

  @Test
  @DisplayName("swapping to a shared screen and back keeps every viewer's connection and frames")
  void screenShareSwap() {
    Window host = airwave.broadcast("screen");
    List<Window> viewers = List.of(airwave.watch("Ann", "screen"), airwave.watch("Bob", "screen"));
    viewers.forEach(Airwave::awaitPlaying);
    List<Object> serials = serials(viewers);

    host.click("screen-button");
    host.await(
        "sharing", Airwave.SHORT, w -> Boolean.TRUE.equals(w.broadcasterStats().get("sharing")));
    assertEquals("Back to camera", host.text("screen-button"));
    awaitMediaFlows(viewers);
    assertEquals(serials, serials(viewers), "same peer connections while sharing");

    host.click("screen-button");
    host.await(
        "camera again",
        Airwave.SHORT,
        w -> Boolean.FALSE.equals(w.broadcasterStats().get("sharing")));
    awaitMediaFlows(viewers);
    assertEquals(serials, serials(viewers), "same peer connections after the swap back");
  }

  @Test
  @DisplayName("a broadcaster who reloads within the grace period gets the channel back")
  void reloadResumes() {
    Window host = airwave.broadcast("resume");
    List<Window> viewers = List.of(airwave.watch("Ann", "resume"), airwave.watch("Bob", "resume"));
    viewers.forEach(Airwave::awaitPlaying);
    host.focus().navigate().refresh();
    awaitLive(host, "resume");
    assertEquals("resume", host.text("live-channel-id"));
    for (Window viewer : viewers) {
      awaitPlaying(viewer);
    }
    awaitMediaFlows(viewers);
    host.await("two viewers again", Airwave.SHORT, w -> "2".equals(w.text("viewer-count")));
  }

  @Test
  @DisplayName("a broadcaster who closes its window and opens the page again gets the channel back")
  void reopenResumes() {
    Window host = airwave.broadcast("reopen");
    Window ann = airwave.watch("Ann", "reopen");
    awaitPlaying(ann);
    host.close();
    ann.await("the broadcaster away", Airwave.SHORT, w -> "away".equals(Airwave.viewerState(w)));
    Window watcher = browser.open(service.baseUrl() + "/?viewer=true");
    watcher.await("the connection", Airwave.SHORT, Airwave::connected);
    assertEquals("viewer", watcher.stats().get("mode"), "a page opened to watch never resumes");
    assertEquals("away", Airwave.viewerState(ann));
    Window again = browser.open(service.baseUrl() + "/?broadcaster=true");
    awaitLive(again, "reopen");
    assertEquals("reopen", again.text("live-channel-id"));
    awaitPlaying(ann);
    awaitMediaFlows(List.of(ann));
  }

  @Test
  @DisplayName("muting the microphone and turning the camera off reach the viewers, and back")
  void muteAndCameraOff() {
    Window host = airwave.broadcast("quiet");
    Window ann = airwave.watch("Ann", "quiet");
    awaitPlaying(ann);
    ann.await("a bright picture", Airwave.SHORT, w -> brightness(w) > 30);
    host.click("mic-button");
    assertEquals("Unmute microphone", host.text("mic-button"));
    assertEquals("true", host.element("mic-button").getAttribute("aria-pressed"));
    assertEquals(false, host.broadcasterStats().get("micOn"));
    assertTrue(senders(host, "audio", "enabled").stream().noneMatch(Boolean.TRUE::equals));
    host.click("camera-button");
    assertEquals("Turn camera on", host.text("camera-button"));
    ann.await("a black picture", Airwave.SHORT, w -> brightness(w) < 8);
    host.click("camera-button");
    host.click("mic-button");
    assertTrue(senders(host, "audio", "enabled").stream().allMatch(Boolean.TRUE::equals));
    ann.await("the picture back", Airwave.SHORT, w -> brightness(w) > 30);
    assertEquals(1, ((Number) ann.stats().get("openPeerConnections")).intValue());
  }

  @Test
  @DisplayName("the device lists offer the camera and microphones; switching keeps the viewers")
  void switchMicrophone() {
    Window host = airwave.broadcast("devices");
    Window ann = airwave.watch("Ann", "devices");
    awaitPlaying(ann);
    Object serial = ann.viewerStats().get("pcSerial");
    assertTrue(options(host, "camera-select").size() >= 1, "a camera to choose");
    List<String> mics = options(host, "mic-select");
    assertTrue(mics.size() >= 2, "microphones to choose: " + mics);
    String before = String.valueOf(senders(host, "audio", "label").get(0));
    String wanted = mics.stream().filter(label -> !label.equals(before)).findFirst().orElseThrow();
    host.script(
        "const s = document.getElementById('mic-select');"
            + "s.value = [...s.options].find((o) => o.text === arguments[0]).value;"
            + "s.dispatchEvent(new Event('change'));",
        wanted);
    host.await(
        "the viewer's audio sender to carry " + wanted,
        Airwave.SHORT,
        w -> senders(w, "audio", "label").stream().allMatch(wanted::equals));
    assertTrue(!before.equals(wanted));
    awaitMediaFlows(List.of(ann));
    assertEquals(serial, ann.viewerStats().get("pcSerial"), "the same peer connection");
  }

  @SuppressWarnings("unchecked")
  private static List<String> options(Window window, String selectId) {
    return (List<String>)
        window.script(
            "return [...document.getElementById(arguments[0]).options].map((o) => o.text)",
            selectId);
  }

  /** One field of every RTP sender of this kind, across the broadcaster's peer connections. */
  @SuppressWarnings("unchecked")
  private static List<Object> senders(Window host, String kind, String field) {
    List<Map<String, Object>> senders =
        (List<Map<String, Object>>) host.broadcasterStats().get("senders");
    return senders.stream().filter(s -> kind.equals(s.get("kind"))).map(s -> s.get(field)).toList();
  }

  private static double brightness(Window viewer) {
    return ((Number) viewer.script("return airwaveDebug.brightness()")).doubleValue();
  }

  @Test
  @DisplayName("an ICE restart from either side renegotiates on the same connection, frames go on")
  void iceRestartBothWays() {
    Window host = airwave.broadcast("restart");
    Window ann = airwave.watch("Ann", "restart");
    awaitPlaying(ann);
    Object serial = ann.viewerStats().get("pcSerial");
    for (Window side : List.of(ann, host)) {
      Map<?, ?> before = (Map<?, ?>) ann.script("return airwaveDebug.iceUfrags()");
      side.script("airwaveDebug.restartIce()");
      ann.await(
          "new ICE credentials on both ends",
          Airwave.SHORT,
          w -> {
            Map<?, ?> now = (Map<?, ?>) w.script("return airwaveDebug.iceUfrags()");
            return !before.get("local").equals(now.get("local"))
                && !before.get("remote").equals(now.get("remote"));
          });
      awaitPlaying(ann);
      awaitMediaFlows(List.of(ann));
    }
    assertEquals(serial, ann.viewerStats().get("pcSerial"), "the same peer connection");
  }

  @Test
  @DisplayName("a second broadcaster window leaves a channel that is live elsewhere alone")
  void secondWindowDoesNotTakeOver() {
    Window host = airwave.broadcast("single");
    Window second = airwave.openBroadcaster();
    // A page decides once whether to take a saved channel back: on its first hello (it is
    // connected), once its camera is open and its device lists are filled. After that a takeover
    // would already show as resuming or live.
    second.await("the second window's device lists", Airwave.SHORT, w -> cameraChoices(w) > 0);
    assertEquals("idle", second.broadcasterStats().get("state"));
    assertEquals("live", host.broadcasterStats().get("state"));
    Window ann = airwave.watch("Ann", "single");
    awaitPlaying(ann);
  }

  @Test
  @DisplayName(
      "the share link names the channel and is copied; the viewer goes full screen and back")
  void shareLinkAndFullScreen() {
    Window host = airwave.broadcast("shared");
    String link = host.element("share-link").getAttribute("value");
    assertEquals(airwave.shareLink("shared"), link);
    Window ann = browser.open(link);
    awaitPlaying(ann);
    ann.click("fullscreen-button");
    ann.await("full screen", Airwave.SHORT, w -> "player".equals(fullScreenId(w)));
    ann.script("document.exitFullscreen()"); // what Esc does; the player fills the screen
    ann.await("back from full screen", Airwave.SHORT, w -> fullScreenId(w) == null);
    awaitPlaying(ann);
    // Last: granting the clipboard replaces the browser's other permissions for new connections.
    host.focus()
        .executeCdpCommand(
            "Browser.grantPermissions",
            Map.of(
                "origin", service.baseUrl(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    host.click("copy-link-button");
    host.await("the copied notice", Airwave.SHORT, w -> w.text("notice").contains("Link copied"));
    Object copied =
        host.focus()
            .executeAsyncScript(
                "navigator.clipboard.readText().then(arguments[0], (e) => arguments[0]('' + e))");
    assertEquals(link, copied);
    host.focus().executeCdpCommand("Browser.resetPermissions", Map.of());
  }

  private static Object fullScreenId(Window window) {
    return window.script(
        "return document.fullscreenElement ? document.fullscreenElement.id : null");
  }

  @Test
  @DisplayName("a viewer whose socket drops joins again by itself and plays")
  void viewerRecoversFromSocketDrop() {
    Window host = airwave.broadcast("drop");
    Window ann = airwave.watch("Ann", "drop");
    awaitPlaying(ann);
    dropSocketAndAwaitNewPeerId(ann);
    awaitPlaying(ann);
    awaitMediaFlows(List.of(ann));
    assertEquals("Ann", ann.viewerStats().get("name"));
    host.await("one viewer", Airwave.SHORT, w -> "1".equals(w.text("viewer-count")));
  }

  @Test
  @DisplayName("a broadcaster whose socket drops takes the channel back by itself")
  void broadcasterRecoversFromSocketDrop() {
    Window host = airwave.broadcast("hostdrop");
    Window ann = airwave.watch("Ann", "hostdrop");
    awaitPlaying(ann);
    dropSocketAndAwaitNewPeerId(host);
    awaitLive(host, "hostdrop");
    ann.await(
        "a fresh connection",
        Airwave.PLAY,
        w -> "playing".equals(viewerState(w)) && number(w.viewerStats(), "framesDecoded") > 0);
    awaitMediaFlows(List.of(ann));
  }

  /** Drops the page's socket as a network failure would and waits for it to come back. */
  private static void dropSocketAndAwaitNewPeerId(Window window) {
    Object firstPeerId = window.stats().get("peerId");
    window.script("airwaveDebug.dropSocket()");
    window.await(
        "a new peer id",
        Airwave.SHORT,
        w -> w.stats().get("peerId") != null && !firstPeerId.equals(w.stats().get("peerId")));
  }

  private static List<Object> serials(List<Window> viewers) {
    return viewers.stream().map(v -> v.viewerStats().get("pcSerial")).toList();
  }

  private static long cameraChoices(Window window) {
    return ((Number) window.script("return document.getElementById('camera-select').length"))
        .longValue();
  }

  private static void awaitChat(Window window, String line) {
    window.await("chat line " + line, Airwave.SHORT, w -> chatLines(w).contains(line));
  }
}
