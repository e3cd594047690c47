package dev.airwave.bench;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One signaling message across two nodes from the built jar, in every placement of broadcaster and
 * viewer against the channel's owner (node a). Run with {@code mvn verify
 * -Dit.test=ClusterLatencyBenchmark -Dexcluded.groups=none}; figures go to docs/benchmarks.md.
 */
@Tag("benchmark")
@Tag("integration")
@DisplayName("Signaling latency across two nodes")
class ClusterLatencyBenchmark {
  private static final int WARMUP = 2_000;
  private static final int RUNS = 5_000;

  @Test
  @DisplayName("one ICE candidate relayed, per placement, p50 and p99")
  void measure() {
    Map<String, String> settings =
        Map.of(
            "AIRWAVE_SIGNAL_PER_SECOND", "1000000",
            "AIRWAVE_SIGNAL_BURST", "100000");
    try (TestCluster cluster = TestCluster.start(2, settings)) {
      String[][] placements = {{"a", "a"}, {"b", "a"}, {"a", "b"}, {"b", "b"}};
      int round = 0;
      for (String[] placement : placements) {
        String id = "bench" + round++;
        BridgeClient owner = cluster.client(cluster.node(0));
        owner.request("airwave.channel.join", new JsonObject().put("id", id).put("name", "Own"));
        BridgeClient broadcaster = cluster.client(cluster.node(index(placement[0])));
        broadcaster.request("airwave.channel.create", new JsonObject().put("id", id));
        BridgeClient viewer = cluster.client(cluster.node(index(placement[1])));
        viewer.request("airwave.channel.join", new JsonObject().put("id", id).put("name", "V"));
        SignalTimes.measure(broadcaster, viewer, WARMUP, RUNS)
            .report(
                "broadcaster on " + placement[0] + ", viewer on " + placement[1] + " (owner a)");
        broadcaster.request("airwave.channel.stop", new JsonObject().put("id", id));
      }
    }
  }

  private static int index(String node) {
    return node.charAt(0) - 'a';
  }
}
