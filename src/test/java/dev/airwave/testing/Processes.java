package dev.airwave.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stops the child processes tests start (coturn, HAProxy), each by its own {@link Process}. */
public final class Processes {
  private Processes() {}

  /** A polite signal (SIGTERM) first, then a kill if it has not exited within {@code grace}. */
  public static void stop(Process process, Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
