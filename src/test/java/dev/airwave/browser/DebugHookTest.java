package dev.airwave.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The test hook window.airwaveDebug is there only when asked for")
class DebugHookTest extends BrowserTest {
  @Override
  protected JsonObject settings() {
    return new JsonObject().put("pageDebug", false);
  }

  private static String status(Window window) {
    return String.valueOf(window.element("connection-status").getAttribute("data-state"));
  }

  private static Object hook(Window window) {
    return window.script("return typeof window.airwaveDebug");
  }

  @Test
  @DisplayName("a page from a service without pageDebug, opened without ?debug, has no hook")
  void absentUnlessAsked() {
    Window page = browser.open(service.baseUrl() + "/?viewer=true");
    try {
      page.await("connected", Airwave.SHORT, w -> "connected".equals(status(w)));
      assertEquals("undefined", hook(page));
    } finally {
      page.close(); // it has no hook for the closing check to read
    }
  }

  @Test
  @DisplayName("?debug=1 in the address installs it, and it reads the page")
  void askedForInTheAddress() {
    Window page = browser.open(service.baseUrl() + "/?viewer=true&debug=1");
    assertEquals("object", hook(page));
    page.await("connected", Airwave.SHORT, Airwave::connected);
  }
}
