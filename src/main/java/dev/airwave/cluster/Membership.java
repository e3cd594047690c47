package dev.airwave.cluster;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * This node's place among the nodes of the service: its id, how many nodes it sees, and news of
 * nodes that leave. A node that sees fewer than {@code minMembers} nodes (itself included) is in a
 * minority and must not serve channels: it fences itself.
 */
public interface Membership {
  String nodeId();

  boolean clustered();

  /** The nodes this node sees now, itself included. */
  int members();

  int minMembers();

  /** Whether the node with this id is a member now (a claim of a node that left is void). */
  boolean isMember(String nodeId);

  default boolean quorate() {
    return members() >= minMembers();
  }

  /**
   * Calls {@code left} with the id of every node that leaves, and {@code changed} after every
   * change of the member list. Listeners run on a Hazelcast thread: hand the work to your own
   * context.
   */
  void listen(Consumer<String> left, Runnable changed);

  /** A node on its own: no cluster, never fenced. */
  static Membership alone() {
    String id = UUID.randomUUID().toString();
    return new Membership() {
      @Override
      public String nodeId() {
        return id;
      }

      @Override
      public boolean clustered() {
        return false;
      }

      @Override
      public int members() {
        return 1;
      }

      @Override
      public int minMembers() {
        return 1;
      }

      @Override
      public boolean isMember(String nodeId) {
        return id.equals(nodeId);
      }

      @Override
      public void listen(Consumer<String> left, Runnable changed) {}
    };
  }
}
