package dev.airwave.bench;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.Clients;
import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures one signaling message over the real bridge: the broadcaster's request/reply round trip
 * and the time until the viewer holds the relayed message. Run with {@code mvn verify
 * -Dit.test=SignalingLatencyBenchmark -Dexcluded.groups=none}; figures go to docs/benchmarks.md.
 */
@Tag("benchmark")
@Tag("integration")
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
      SignalTimes.measure(broadcaster, viewer, WARMUP, RUNS).report("one node");
    }
  }
}
