package dev.airwave.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Channels of one node in a Caffeine cache that expires them after the idle timeout. Expiry runs on
 * the caller's thread (the registry's event loop), and a cap refuses new ids instead of letting
 * Caffeine pick a victim.
 */
public final class LocalChannelStore implements ChannelStore {
  private final Cache<String, Channel> channels;
  private final List<Channel> expired = new ArrayList<>();
  private final Map<String, Integer> byClient = new HashMap<>();

  public LocalChannelStore(Duration idleTimeout, LongSupplier clockMillis) {
    this.channels =
        Caffeine.newBuilder()
            .expireAfterAccess(idleTimeout)
            .ticker(() -> clockMillis.getAsLong() * 1_000_000L)
            .executor(Runnable::run)
            .<String, Channel>removalListener(
                (id, channel, cause) -> {
                  if (channel == null || cause == RemovalCause.REPLACED) {
                    return;
                  }
                  uncount(channel);
                  if (cause == RemovalCause.EXPIRED) {
                    expired.add(channel);
                  }
                })
            .build();
  }

  @Override
  public Claim claim(Channel channel, int max, int maxPerClient) {
    channels.cleanUp();
    if (channels.policy().getIfPresentQuietly(channel.id()) != null) {
      return Claim.TAKEN;
    }
    if (channels.estimatedSize() >= max) {
      return Claim.FULL;
    }
    String client = channel.ownerClient();
    if (client != null && channelsOf(client) >= maxPerClient) {
      return Claim.CLIENT_FULL;
    }
    channels.put(channel.id(), channel);
    if (client != null) {
      byClient.merge(client, 1, Integer::sum);
    }
    return Claim.CLAIMED;
  }

  @Override
  public int channelsOf(String client) {
    return byClient.getOrDefault(client, 0);
  }

  private void uncount(Channel channel) {
    String client = channel.ownerClient();
    if (client != null) {
      byClient.computeIfPresent(client, (c, n) -> n > 1 ? n - 1 : null);
    }
  }

  @Override
  public Channel find(String id) {
    return channels.policy().getIfPresentQuietly(id);
  }

  @Override
  public Channel touch(String id) {
    return channels.getIfPresent(id);
  }

  @Override
  public void release(String id) {
    channels.invalidate(id);
  }

  @Override
  public Collection<Channel> all() {
    return List.copyOf(channels.asMap().values());
  }

  @Override
  public List<Channel> expired() {
    channels.cleanUp();
    return drainExpired();
  }

  @Override
  public List<Channel> drainExpired() {
    if (expired.isEmpty()) {
      return List.of();
    }
    List<Channel> drained = List.copyOf(expired);
    expired.clear();
    return drained;
  }
}
