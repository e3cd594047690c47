package dev.airwave.bench;

import static dev.airwave.testing.Signals.ice;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.Clients;
import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures one signaling message over the real bridge: the broadcaster's request/reply round trip
 * and the time until the viewer holds the relayed message. Run with {@code mvn test
 * -Dtest=SignalingLatencyBenchmark -Dexcluded.groups=none}; figures go to docs/benchmarks.md.
 */
@Tag("benchmark")
@DisplayName("Signaling latency")
class SignalingLatencyBenchmark {
  private static final int WARMUP = 1_000;
  private static final int RUNS = 5_000;

  @Test
  @DisplayName("one ICE candidate relayed from broadcaster to viewer, p50 and p99")
  void measure() {
    JsonObject settings =
        new JsonObject().put("signalPerSecond", 1_000_000.0).put("signalBurst", 100_000);
    try (ServiceUnderTest service = ServiceUnderTest.start(settings);
        Clients clients = new Clients(service)) {
      BridgeClient broadcaster = clients.broadcaster("bench");
      BridgeClient viewer = clients.viewer("bench", "Ann");
      long[] roundTrip = new long[RUNS];
      long[] delivered = new long[RUNS];
      for (int i = -WARMUP; i < RUNS; i++) {
        long start = System.nanoTime();
        broadcaster.request("airwave.signal", ice(viewer.peerId(), "candidate:" + i));
        long replied = System.nanoTime();
        viewer.next("ice");
        long received = System.nanoTime();
        if (i >= 0) {
          roundTrip[i] = replied - start;
          delivered[i] = received - start;
        }
      }
      report("request/reply round trip", roundTrip);
      report("sent to received by the viewer", delivered);
    }
  }

  private static void report(String what, long[] nanos) {
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
