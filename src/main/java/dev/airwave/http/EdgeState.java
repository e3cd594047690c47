package dev.airwave.http;

/**
 * What every instance of the HTTP edge on one node shares: the sockets and connections each client
 * address holds, so that the caps per address hold across event loops, and whether the node has
 * warmed up (readiness waits for it).
 */
public final class EdgeState {
  final AddressCounts sockets = new AddressCounts();
  final AddressCounts connections = new AddressCounts();
  private volatile boolean warm;

  /** The node has run its warm-up (or needs none): readiness may say UP. */
  public void warmedUp() {
    warm = true;
  }

  boolean warm() {
    return warm;
  }
}
