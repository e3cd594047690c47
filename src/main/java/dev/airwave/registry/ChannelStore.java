package dev.airwave.registry;

import java.util.Collection;
import java.util.List;

/**
 * The seam that holds the started channels, the claims on their ids and the per-address count of
 * them. The local version keeps them in this process.
 */
public interface ChannelStore {
  enum Claim {
    CLAIMED,
    TAKEN,
    FULL,
    CLIENT_FULL
  }

  /**
   * Claims the channel's id, refusing a taken id, a store already holding {@code max}, or a channel
   * whose owner's client address already holds {@code maxPerClient}. The count per client address
   * lives here, beside the channels, so that a cluster-wide store counts cluster-wide.
   */
  Claim claim(Channel channel, int max, int maxPerClient);

  /** How many stored channels count against this client address. */
  int channelsOf(String client);

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
