package dev.airwave.browser;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** One participant's page, whichever browser shows it: what a test does there and reads back. */
interface Page {
  Duration POLL = Duration.ofMillis(150);

  /** Puts this text into the input with this id, replacing what it held. */
  void type(String id, String text);

  /** Clicks the element with this id. */
  void click(String id);

  /**
   * Runs a function body in the page ({@code arguments[i]}, {@code return}) and gives its result.
   */
  Object script(String script, Object... args);

  /** The page's test hook, {@code window.airwaveDebug.stats()}. */
  @SuppressWarnings("unchecked")
  default Map<String, Object> stats() {
    return (Map<String, Object>) script("return airwaveDebug.stats()");
  }

  @SuppressWarnings("unchecked")
  default Map<String, Object> viewerStats() {
    return (Map<String, Object>) stats().get("viewer");
  }

  @SuppressWarnings("unchecked")
  default Map<String, Object> broadcasterStats() {
    return (Map<String, Object>) stats().get("broadcaster");
  }

  /** Waits (bounded) until the condition holds for this page. */
  static <P extends Page> void until(
      P page, String what, Duration timeout, Predicate<? super P> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.test(page)) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      Window.pause(POLL);
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what, last);
  }
}
