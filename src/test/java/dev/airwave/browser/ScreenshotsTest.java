package dev.airwave.browser;

import static dev.airwave.browser.Airwave.say;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;

/**
 * Writes screenshots for people to look at; it asserts nothing a user would notice, so it runs only
 * when asked (docs/testing.md).
 */
@Tag("screenshots")
@DisplayName("Screenshots of both modes, for review")
class ScreenshotsTest extends BrowserTest {

  @Test
  @DisplayName(
      "desktop (1366x768) and phone (390x844) shots land in the build's screenshots folder")
  void captureBothModes() throws IOException, URISyntaxException {
    Window host = airwave.broadcast("morning");
    Window ann = airwave.watch("Ann", "morning");
    Window bob = airwave.watch("Bob", "morning");
    Airwave.awaitPlaying(ann);
    Airwave.awaitPlaying(bob);
    say(ann, "Good morning! Sound and picture are fine here.");
    ann.await("Ann's line", Airwave.SHORT, w -> Airwave.chatLines(w).size() == 1);
    say(host, "Welcome, everyone. We start in a minute.");
    say(bob, "<img src=x onerror=alert(1)>");
    bob.await("three lines", Airwave.SHORT, w -> Airwave.chatLines(w).size() == 3);
    Window lobby = browser.open(service.baseUrl() + "/?viewer=true");
    lobby.await(
        "the channel in the list", Airwave.SHORT, w -> w.text("channel-list").contains("morning"));

    Window setup = airwave.openBroadcaster();
    Window waiting = browser.open(service.baseUrl() + "/?channel=later");
    waiting.await(
        "the waiting state", Airwave.SHORT, w -> "waiting".equals(Airwave.viewerState(w)));

    Path folder = screenshotFolder();
    for (Size size : List.of(new Size("desktop", 1366, 768), new Size("phone", 390, 844))) {
      shoot(setup, size, folder.resolve("broadcaster-setup-" + size.name() + ".png"));
      shoot(waiting, size, folder.resolve("viewer-waiting-" + size.name() + ".png"));
    }
    for (Size size : List.of(new Size("desktop", 1366, 768), new Size("phone", 390, 844))) {
      shoot(host, size, folder.resolve("broadcaster-" + size.name() + ".png"));
      shoot(bob, size, folder.resolve("viewer-" + size.name() + ".png"));
      shoot(lobby, size, folder.resolve("channels-" + size.name() + ".png"));
    }
    host.click("screen-button");
    host.await(
        "sharing", Airwave.SHORT, w -> Boolean.TRUE.equals(w.broadcasterStats().get("sharing")));
    Airwave.awaitMediaFlows(List.of(bob)); // frames of the shared screen, not the camera's last
    shoot(bob, new Size("desktop", 1366, 768), folder.resolve("viewer-screen-share-desktop.png"));
    assertTrue(Files.size(folder.resolve("viewer-phone.png")) > 0);
  }

  private record Size(String name, int width, int height) {}

  private static void shoot(Window window, Size size, Path file) throws IOException {
    window.emulateScreen(size.width(), size.height());
    window.script("document.activeElement?.blur(); window.scrollTo(0, 0)");
    Files.write(file, window.focus().getScreenshotAs(OutputType.BYTES));
  }

  /** {@code <build dir>/screenshots}: the parent of test-classes, whatever build.dir says. */
  static Path screenshotFolder() throws IOException, URISyntaxException {
    Path testClasses =
        Path.of(ScreenshotsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return Files.createDirectories(testClasses.getParent().resolve("screenshots"));
  }
}
