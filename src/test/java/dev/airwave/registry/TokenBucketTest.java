package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A token bucket")
class TokenBucketTest {
  private static final long T0 = 1_764_090_000_000L;

  @Test
  @DisplayName("starts full: a burst is allowed at once, the next take is refused")
  void startsFull() {
    TokenBucket bucket = new TokenBucket(2, 3, T0);
    assertTrue(bucket.take(T0));
    assertTrue(bucket.take(T0));
    assertTrue(bucket.take(T0));
    assertFalse(bucket.take(T0));
    assertFalse(bucket.take(T0));
  }

  @Test
  @DisplayName("refills at its rate per second")
  void refills() {
    TokenBucket bucket = new TokenBucket(2, 1, T0);
    assertTrue(bucket.take(T0));
    assertFalse(bucket.take(T0 + 499));
    assertTrue(bucket.take(T0 + 500));
    assertFalse(bucket.take(T0 + 500));
  }

  @Test
  @DisplayName("a slow rate takes more than a second per token")
  void fractionalRate() {
    TokenBucket bucket = new TokenBucket(0.5, 1, T0);
    assertTrue(bucket.take(T0));
    assertFalse(bucket.take(T0 + 1_999));
    assertTrue(bucket.take(T0 + 2_000));
  }

  @Test
  @DisplayName("never holds more than its burst, however long it rests")
  void capsAtBurst() {
    TokenBucket bucket = new TokenBucket(100, 2, T0);
    long later = T0 + 3_600_000;
    assertTrue(bucket.take(later));
    assertTrue(bucket.take(later));
    assertFalse(bucket.take(later));
  }

  @Test
  @DisplayName("a clock that steps back neither refills nor breaks it")
  void clockStepsBack() {
    TokenBucket bucket = new TokenBucket(1, 1, T0);
    assertTrue(bucket.take(T0));
    assertFalse(bucket.take(T0 - 10_000));
    assertFalse(bucket.take(T0 + 999));
    assertTrue(bucket.take(T0 + 1_000));
  }
}
