package dev.airwave.registry;

/** A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}. */
final class TokenBucket {
  private final double perMilli;
  private final double burst;
  private double tokens;
  private long updatedAt;

  TokenBucket(double perSecond, int burst, long now) {
    this.perMilli = perSecond / 1000.0;
    this.burst = burst;
    this.tokens = burst;
    this.updatedAt = now;
  }

  boolean take(long now) {
    if (now > updatedAt) {
      tokens = Math.min(burst, tokens + (now - updatedAt) * perMilli);
      updatedAt = now;
    }
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
