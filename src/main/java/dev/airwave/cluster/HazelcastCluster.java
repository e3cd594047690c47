package dev.airwave.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.airwave.config.AppConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Consumer;

/**
 * The Hazelcast cluster under the clustered event bus, configured from the settings alone: TCP-IP
 * join with the members listed one by one, no multicast or auto-detection, phone-home and
 * Hazelcast's own shutdown hook off, logging through SLF4J, short heartbeats so that a hung node is
 * suspected in seconds, and quick split-brain merges.
 */
public final class HazelcastCluster {
  /**
   * The member attribute in which vertx-hazelcast keeps a member's Vert.x node id (the id that
   * event-bus subscriptions and {@code getNodeId()} use, unlike the member's UUID, which Hazelcast
   * renews when a member merges back after a split).
   */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private HazelcastCluster() {}

  /** Vert.x's Hazelcast configuration (its maps for event-bus subscriptions) with ours on top. */
  public static HazelcastClusterManager manager(AppConfig settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.clusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty(
        "hazelcast.heartbeat.interval.seconds",
        Integer.toString(settings.clusterHeartbeatSeconds()));
    config.setProperty(
        "hazelcast.max.no.heartbeat.seconds", Integer.toString(settings.clusterSuspectSeconds()));
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.clusterPort()).setPortAutoIncrement(false);
    boolean anyInterface = "0.0.0.0".equals(settings.clusterHost());
    config.setProperty("hazelcast.socket.bind.any", Boolean.toString(anyInterface));
    if (!anyInterface) {
      network.getInterfaces().setEnabled(true).addInterface(settings.clusterHost());
    }
    if (!settings.clusterPublicHost().isEmpty()) {
      network.setPublicAddress(settings.clusterPublicHost() + ":" + settings.clusterPort());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    settings.clusterMembers().forEach(member -> join.getTcpIpConfig().addMember(member));
    return new HazelcastClusterManager(config);
  }

  /** The clustered event bus listens on the cluster interface and announces the public host. */
  public static EventBusOptions eventBus(AppConfig settings) {
    return new EventBusOptions()
        .setHost(settings.clusterHost())
        .setPort(settings.clusterBusPort())
        .setClusterPublicHost(settings.clusterAdvertisedHost());
  }

  /** The membership of a started cluster manager. */
  public static Membership membership(HazelcastClusterManager manager, int minMembers) {
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    String self = manager.getNodeId();
    return new Membership() {
      @Override
      public String nodeId() {
        return self;
      }

      @Override
      public boolean clustered() {
        return true;
      }

      @Override
      public int members() {
        return hazelcast.getLifecycleService().isRunning()
            ? hazelcast.getCluster().getMembers().size()
            : 0;
      }

      @Override
      public int minMembers() {
        return minMembers;
      }

      @Override
      public boolean isMember(String nodeId) {
        for (Member member : hazelcast.getCluster().getMembers()) {
          if (nodeId.equals(member.getAttribute(NODE_ID_ATTRIBUTE))) {
            return true;
          }
        }
        return false;
      }

      @Override
      public void listen(Consumer<String> left, Runnable changed) {
        hazelcast
            .getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {
                    changed.run();
                  }

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    String node = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
                    left.accept(node != null ? node : event.getMember().getUuid().toString());
                    changed.run();
                  }
                });
      }
    };
  }
}
