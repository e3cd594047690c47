package dev.airwave.bench;

import static dev.airwave.testing.Signals.ice;

import dev.airwave.testing.BridgeClient;
import java.util.Arrays;

/**
 * Times ICE candidates from a broadcaster to a viewer over the bridge: the broadcaster's request
 * and reply, and the time until the viewer holds the relayed message.
 */
final class SignalTimes {
  final long[] roundTrip;
  final long[] delivered;

  private SignalTimes(int runs) {
    roundTrip = new long[runs];
    delivered = new long[runs];
  }

  /** Sends {@code warmup} untimed candidates, then {@code runs} timed ones. */
  static SignalTimes measure(BridgeClient broadcaster, BridgeClient viewer, int warmup, int runs) {
    SignalTimes times = new SignalTimes(runs);
    for (int i = -warmup; i < runs; i++) {
      long start = System.nanoTime();
      broadcaster.request("airwave.signal", ice(viewer.peerId(), "candidate:" + i));
      long replied = System.nanoTime();
      viewer.next("ice");
      long received = System.nanoTime();
      if (i >= 0) {
        times.roundTrip[i] = replied - start;
        times.delivered[i] = received - start;
      }
    }
    return times;
  }

  /** Prints both series' p50, p99 and maximum under this heading. */
  void report(String heading) {
    print(heading + ": request/reply round trip", roundTrip);
    print(heading + ": sent to received by the viewer", delivered);
  }

  private static void print(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%s over %d runs: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        what,
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }
}
