package dev.airwave.browser;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The header tells connected, reconnecting and offline, and the page comes back")
class ConnectionStatusTest extends BrowserTest {
  private static String status(Window window) {
    return String.valueOf(window.element("connection-status").getAttribute("data-state"));
  }

  @Test
  @DisplayName("the service going away and coming back on the same port")
  void serviceGoesAndComesBack() {
    Window page = browser.open(service.baseUrl() + "/?viewer=true");
    page.await("connected", Airwave.SHORT, w -> "connected".equals(status(w)));
    // The test's network namespace has only loopback, so Chromium reports navigator.onLine false,
    // which the page rightly shows as offline at once; this page plays a machine with a network.
    page.script("Object.defineProperty(navigator, 'onLine', {get: () => true})");
    int port = service.port();
    service.close();
    page.await(
        "reconnecting",
        Airwave.SHORT,
        w -> {
          System.out.println(
              "status " + status(w) + " " + w.element("connection-status").getText());
          return "reconnecting".equals(status(w));
        });
    page.await("offline", Duration.ofSeconds(30), w -> "offline".equals(status(w)));
    service = ServiceUnderTest.startForPages(new JsonObject().put("port", port));
    page.await("connected again", Duration.ofSeconds(30), w -> "connected".equals(status(w)));
    assertNotNull(page.stats().get("peerId"));
    Window host = airwave.broadcast("back");
    Airwave.awaitLive(host, "back");
  }
}
