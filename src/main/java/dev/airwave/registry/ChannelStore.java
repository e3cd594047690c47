package dev.airwave.registry;

import java.util.Collection;
import java.util.List;

/**
 * The seam that holds the started channels and the claims on their ids. The local version keeps
 * them in this process; a cluster-wide version can take its place without touching the protocol.
 */
public interface ChannelStore {
  enum Claim {
    CLAIMED,
    TAKEN,
    FULL
  }

  /** Claims the channel's id, refusing a taken id or a store already holding {@code max}. */
  Claim claim(Channel channel, int max);

  /** The channel with this id, or null; does not count as activity. */
  Channel find(String id);

  /** The channel with this id, or null; counts as activity that postpones idle eviction. */
  Channel touch(String id);

  void release(String id);

  Collection<Channel> all();

  /** Runs idle expiry and hands over every channel that expired since the last call. */
  List<Channel> expired();

  /** The channels that expired as a side effect of other calls, without running expiry. */
  List<Channel> drainExpired();
}
