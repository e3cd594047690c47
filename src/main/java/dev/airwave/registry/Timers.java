package dev.airwave.registry;

/** One-shot timers, so the registry's logic can run on Vert.x or on a test's clock. */
public interface Timers {
  long schedule(long delayMs, Runnable task);

  void cancel(long timer);
}
