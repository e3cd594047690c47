package dev.airwave.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.ClusterNode;
import dev.airwave.testing.LoadBalancer;
import dev.airwave.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pages on a cluster of three nodes from the built jar, in real Chromium: a node dies under a
 * live broadcast and the pages are watching again without a reload.
 */
@Tag("cluster")
@Tag("browser")
@Tag("integration")
@DisplayName("Real pages on three nodes survive losing one")
class ClusterBrowserTest {
  private static final Duration BACK = Duration.ofSeconds(30);

  private TestCluster cluster;
  private Browser browser;

  @BeforeEach
  void start() {
    cluster =
        TestCluster.start(3, Map.of("AIRWAVE_GRACE_SECONDS", "20", "AIRWAVE_PAGE_DEBUG", "true"));
    browser = Browser.launch();
  }

  @AfterEach
  void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  @DisplayName("the viewer's node dies: its page reconnects through the load balancer and plays")
  void viewersNodeDies() {
    ClusterNode a = cluster.node(0);
    try (LoadBalancer balancer = LoadBalancer.start(cluster.node(1), cluster.node(2))) {
      Window host = new Airwave<>(browser::open, a.baseUrl()).broadcast("relay");
      Window viewer = new Airwave<>(browser::open, balancer.baseUrl()).watch("Ann", "relay");
      Airwave.awaitPlaying(viewer);
      ClusterNode viewersNode = nodeWithSockets(cluster.node(1), cluster.node(2));

      long killed = System.nanoTime();
      viewersNode.kill();
      host.await("Ann to leave", Airwave.SHORT, w -> "0".equals(w.text("viewer-count")));
      viewer.await(
          "the picture back",
          BACK,
          w -> "playing".equals(Airwave.viewerState(w)) && Airwave.connected(w));
      Airwave.awaitPlaying(viewer);
      System.out.printf(
          "viewer playing again %d ms after a SIGKILL of its node%n",
          (System.nanoTime() - killed) / 1_000_000);
      host.await("Ann back", Airwave.SHORT, w -> "1".equals(w.text("viewer-count")));
    }
  }

  @Test
  @DisplayName("the owner's node dies: both pages start the channel again on the survivors")
  void ownersNodeDies() {
    ClusterNode owner = cluster.node(1);
    // A viewer waiting on node b claims the id there: b owns the channel, no page is on it.
    BridgeClient early = cluster.client(owner);
    early.request("airwave.channel.join", new JsonObject().put("id", "owned").put("name", "Early"));
    Window host = new Airwave<>(browser::open, cluster.node(0).baseUrl()).broadcast("owned");
    Window viewer = new Airwave<>(browser::open, cluster.node(2).baseUrl()).watch("Ann", "owned");
    Airwave.awaitPlaying(viewer);
    Object connection = viewer.viewerStats().get("pcSerial");

    long killed = System.nanoTime();
    owner.kill();
    // Without the pages' recovery the channel would now be over for both (channel-ended). Until
    // they notice the loss both still look live and playing; a new peer connection in the viewer
    // comes only from a broadcaster that started the channel again and offered anew.
    viewer.await(
        "a new peer connection",
        BACK,
        w -> {
          Object now = w.viewerStats().get("pcSerial");
          return now != null && !now.equals(connection);
        });
    try {
      host.await(
          "the broadcast live again",
          BACK,
          w -> {
            Map<String, Object> b = w.broadcasterStats();
            return "live".equals(b.get("state")) && "owned".equals(b.get("channelId"));
          });
    } catch (AssertionError notLive) {
      throw new AssertionError(
          "the broadcaster page is not live again: " + host.stats() + host.broadcasterStats(),
          notLive);
    }
    Airwave.awaitPlaying(viewer);
    System.out.printf(
        "viewer playing again %d ms after a SIGKILL of the channel's owner%n",
        (System.nanoTime() - killed) / 1_000_000);
    host.await("Ann back", Airwave.SHORT, w -> "1".equals(w.text("viewer-count")));
    assertTrue(Airwave.connected(viewer));
  }

  /** The one of these nodes that holds a bridge socket (the viewer's). */
  private static ClusterNode nodeWithSockets(ClusterNode... nodes) {
    for (ClusterNode node : nodes) {
      JsonObject health = node.health();
      if (health != null && health.getInteger("sockets", 0) > 0) {
        return node;
      }
    }
    throw new AssertionError("no node holds the viewer's socket");
  }
}
