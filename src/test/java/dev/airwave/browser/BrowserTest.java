package dev.airwave.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the browser tests: one real service and one headless Chromium per class, every window
 * closed after each test, which also fails if any page showed the user an error notice.
 */
@Tag("browser")
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTest {
  protected ServiceUnderTest service;
  protected Browser browser;
  protected Airwave<Window> airwave;

  /** The service's settings for this class; {@code pageDebug} is on unless they turn it off. */
  protected JsonObject settings() throws Exception {
    return new JsonObject();
  }

  /** Stops what the class started besides the service and the browser. */
  protected void stopOthers() {}

  @BeforeAll
  void startServiceAndBrowser() throws Exception {
    service = ServiceUnderTest.startForPages(settings());
    browser = Browser.launch();
    airwave = new Airwave<>(browser::open, service.baseUrl());
  }

  @AfterAll
  void stopServiceAndBrowser() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      try {
        if (service != null) {
          service.close();
        }
      } finally {
        stopOthers();
      }
    }
  }

  @AfterEach
  void closeWindows() {
    try {
      for (Window window : browser.windows()) {
        assertEquals(List.of(), window.stats().get("errors"), "error notices shown to the user");
      }
    } finally {
      browser.closeWindows();
      forgetSavedBroadcast();
    }
  }

  /**
   * Closed broadcaster windows leave a resumable channel in localStorage; the next test starts
   * clean.
   */
  private void forgetSavedBroadcast() {
    Window cleaner = browser.open(service.baseUrl() + "/health");
    try {
      cleaner.script("localStorage.removeItem('airwave.resume')");
    } finally {
      cleaner.close();
    }
  }
}
