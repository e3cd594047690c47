package dev.airwave.browser;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** One participant's browser window; every call first brings the driver to this window. */
final class Window implements Page {
  private final Browser browser;
  private final String handle;
  private boolean closed;

  Window(Browser browser, String handle) {
    this.browser = browser;
    this.handle = handle;
  }

  ChromeDriver focus() {
    return browser.focus(handle);
  }

  WebElement element(String id) {
    return focus().findElement(By.id(id));
  }

  String text(String id) {
    return element(id).getText();
  }

  @Override
  public void type(String id, String text) {
    WebElement input = element(id);
    input.clear();
    input.sendKeys(text);
  }

  @Override
  public void click(String id) {
    element(id).click();
  }

  void get(String url) {
    focus().get(url);
  }

  @Override
  public Object script(String script, Object... args) {
    return ((JavascriptExecutor) focus()).executeScript(script, args);
  }

  /**
   * Emulates a screen of this size (a phone's below 600 px) and waits until the page is laid out at
   * its width.
   */
  void emulateScreen(int width, int height) {
    focus()
        .executeCdpCommand(
            "Emulation.setDeviceMetricsOverride",
            Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
    await(
        "the page laid out " + width + " px wide",
        Airwave.SHORT,
        w -> ((Number) w.script("return window.innerWidth")).longValue() == width);
  }

  /** Waits (bounded) until the condition holds for this window. */
  void await(String what, Duration timeout, Predicate<Window> condition) {
    Page.until(this, what, timeout, condition);
  }

  /** The pause between two checks of a bounded wait; never what decides an outcome. */
  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Reads a number from a stats map, whatever numeric type JSON gave it. */
  static long number(Map<String, Object> stats, String key) {
    Object value = stats.get(key);
    return value instanceof Number n ? n.longValue() : -1;
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    browser.forget(this);
    browser.closeWindow(handle);
  }
}
