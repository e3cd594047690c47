package dev.airwave.http;

/**
 * What every instance of the HTTP edge on one node shares: the sockets and connections each client
 * address holds, so that the caps per address hold across event loops.
 */
public final class EdgeState {
  final AddressCounts sockets = new AddressCounts();
  final AddressCounts connections = new AddressCounts();
}
