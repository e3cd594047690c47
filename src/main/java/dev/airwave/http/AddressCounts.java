package dev.airwave.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many of something (sockets, connections) each client address holds on this node, shared by
 * every instance of the edge, so that a cap per address holds however many event loops serve it.
 */
final class AddressCounts {
  private final ConcurrentMap<String, Integer> counts = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  /** Counts one more for this address unless it already holds {@code max}; says which. */
  boolean tryAcquire(String address, int max) {
    boolean[] acquired = {false};
    counts.compute(
        address,
        (key, held) -> {
          int now = held == null ? 0 : held;
          if (now >= max) {
            return held;
          }
          acquired[0] = true;
          return now + 1;
        });
    if (acquired[0]) {
      total.incrementAndGet();
    }
    return acquired[0];
  }

  /** Gives back one that {@link #tryAcquire} counted for this address. */
  void release(String address) {
    counts.computeIfPresent(address, (key, held) -> held > 1 ? held - 1 : null);
    total.decrementAndGet();
  }

  /** What all addresses hold together. */
  int total() {
    return total.get();
  }
}
