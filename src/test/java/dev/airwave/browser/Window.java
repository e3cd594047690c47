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

  /** Waits (bounded) until the condition holds for this window. */
  void await(String what, Duration timeout, Predicate<Window> condition) {
    Page.until(this, what, timeout, condition);
  }

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
