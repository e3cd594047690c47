package dev.airwave.logging;

import java.util.function.Consumer;

/**
 * Which client the current thread is working for: while a client's frame is handled, library
 * warnings it causes are charged to that client's tally instead of being logged one by one.
 */
public final class Blame {
  private static final ThreadLocal<Consumer<String>> CURRENT = new ThreadLocal<>();

  private Blame() {}

  /** Runs the work with every library warning or error it logs counted by {@code tally}. */
  public static void during(Consumer<String> tally, Runnable work) {
    Consumer<String> outer = CURRENT.get();
    CURRENT.set(tally);
    try {
      work.run();
    } finally {
      CURRENT.set(outer);
    }
  }

  static Consumer<String> current() {
    return CURRENT.get();
  }
}
