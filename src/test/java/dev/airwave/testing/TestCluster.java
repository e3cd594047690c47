package dev.airwave.testing;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A cluster of {@link ClusterNode} processes on loopback, started together, with a Vert.x for the
 * test's bridge clients; everything is stopped on close.
 */
public final class TestCluster implements AutoCloseable {
  private final List<ClusterNode> nodes;
  private final Vertx vertx = Vertx.vertx();
  private final List<BridgeClient> clients = new ArrayList<>();

  private TestCluster(List<ClusterNode> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts {@code count} nodes named a, b, c... with these settings and waits until all see all.
   */
  public static TestCluster start(int count, Map<String, String> settings) {
    List<Integer> ports = ClusterNode.clusterPorts(count);
    List<ClusterNode> nodes = new ArrayList<>();
    TestCluster cluster = new TestCluster(nodes);
    try {
      for (int i = 0; i < count; i++) {
        nodes.add(
            ClusterNode.start(String.valueOf((char) ('a' + i)), ports.get(i), ports, settings));
      }
      CompletableFuture.allOf(
              nodes.stream()
                  .map(node -> CompletableFuture.runAsync(() -> node.awaitReady(count)))
                  .toArray(CompletableFuture[]::new))
          .join();
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  public ClusterNode node(int index) {
    return nodes.get(index);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** A ready bridge client (hello done, inbox registered) on this node. */
  public BridgeClient client(ClusterNode node) {
    BridgeClient client = BridgeClient.ready(vertx, node.port());
    clients.add(client);
    return client;
  }

  /** A bridge client that has not said hello yet. */
  public BridgeClient raw(ClusterNode node) {
    BridgeClient client = BridgeClient.connect(vertx, node.port());
    clients.add(client);
    return client;
  }

  /** Closes the test's clients (their sockets close as a browser tab's would). */
  public void closeClients() {
    for (BridgeClient client : clients) {
      try {
        client.close();
      } catch (RuntimeException e) {
        // its node may be dead: nothing to close
      }
    }
    clients.clear();
  }

  @Override
  public void close() {
    closeClients();
    nodes.parallelStream().forEach(ClusterNode::close);
    vertx.close().await();
  }
}
