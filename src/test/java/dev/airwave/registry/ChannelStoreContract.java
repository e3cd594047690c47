package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.registry.ChannelStore.Claim;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChannelStore} must do, whether it keeps channels in this process or across a
 * cluster: channels are compared by id, never by identity, so that a store that hands out copies
 * passes too. Each implementation's test extends this class.
 */
abstract class ChannelStoreContract {
  protected long now = 1_764_090_000_000L;
  protected final ChannelStore store = newStore(Duration.ofSeconds(60), () -> now);

  /** A fresh, empty store with this idle timeout, on this clock (milliseconds). */
  protected abstract ChannelStore newStore(Duration idleTimeout, LongSupplier clockMillis);

  private static String idOf(Channel channel) {
    return channel == null ? null : channel.id();
  }

  private static List<String> ids(Collection<Channel> channels) {
    return channels.stream().map(Channel::id).sorted().toList();
  }

  private static List<String> ids(Channel... channels) {
    return Stream.of(channels).map(Channel::id).sorted().toList();
  }

  @Test
  @DisplayName("claims a free id, then finds and lists the channel")
  void claims() {
    Channel demo = new Channel("demo");
    assertEquals(Claim.CLAIMED, store.claim(demo, 10, 10));
    assertEquals(demo.id(), idOf(store.find("demo")));
    assertEquals(demo.id(), idOf(store.touch("demo")));
    assertEquals(ids(demo), ids(store.all()));
    assertNull(store.find("other"));
    assertNull(store.touch("other"));
  }

  @Test
  @DisplayName("refuses an id already claimed, keeping the first channel")
  void taken() {
    Channel first = new Channel("demo");
    store.claim(first, 10, 10);
    assertEquals(Claim.TAKEN, store.claim(new Channel("demo"), 10, 10));
    assertEquals(first.id(), idOf(store.find("demo")));
  }

  @Test
  @DisplayName(
      "refuses a new id at the cap without evicting anything, and has room after a release")
  void full() {
    Channel one = new Channel("one");
    Channel two = new Channel("two");
    store.claim(one, 2, 2);
    store.claim(two, 2, 2);
    assertEquals(Claim.FULL, store.claim(new Channel("three"), 2, 2));
    assertEquals(one.id(), idOf(store.find("one")));
    assertEquals(two.id(), idOf(store.find("two")));
    assertNull(store.find("three"));
    store.release("one");
    assertNull(store.find("one"));
    assertEquals(Claim.CLAIMED, store.claim(new Channel("three"), 2, 2));
    assertEquals(List.of(), store.expired(), "a release is not an expiry");
  }

  private Channel startedBy(String id, String client) {
    Channel channel = new Channel(id);
    channel.start(new Broadcast("peer-" + id, client, "Host", "", 25, false), "token", now);
    return channel;
  }

  @Test
  @DisplayName("counts channels per client address, and frees the count on release and on expiry")
  void perClientCount() {
    store.claim(startedBy("a1", "198.51.100.1"), 10, 2);
    store.claim(startedBy("a2", "198.51.100.1"), 10, 2);
    assertEquals(Claim.CLIENT_FULL, store.claim(startedBy("a3", "198.51.100.1"), 10, 2));
    assertNull(store.find("a3"));
    assertEquals(Claim.CLAIMED, store.claim(startedBy("b1", "198.51.100.2"), 10, 2));
    assertEquals(2, store.channelsOf("198.51.100.1"));
    store.release("a1");
    assertEquals(1, store.channelsOf("198.51.100.1"));
    now += 61_000;
    assertEquals(2, store.expired().size());
    assertEquals(0, store.channelsOf("198.51.100.1"));
    assertEquals(0, store.channelsOf("198.51.100.2"));
    assertEquals(Claim.CLAIMED, store.claim(startedBy("a3", "198.51.100.1"), 10, 2));
  }

  @Test
  @DisplayName("find does not postpone idle expiry")
  void findIsNotActivity() {
    Channel demo = new Channel("demo");
    store.claim(demo, 10, 10);
    now += 40_000;
    assertEquals(demo.id(), idOf(store.find("demo")));
    now += 21_000;
    assertNull(store.find("demo"));
    assertEquals(ids(demo), ids(store.expired()));
  }

  @Test
  @DisplayName("touch postpones idle expiry")
  void touchIsActivity() {
    Channel demo = new Channel("demo");
    store.claim(demo, 10, 10);
    now += 40_000;
    assertEquals(demo.id(), idOf(store.touch("demo")));
    now += 40_000;
    assertEquals(List.of(), store.expired());
    assertEquals(demo.id(), idOf(store.find("demo")));
    now += 20_000;
    assertEquals(ids(demo), ids(store.expired()));
    assertTrue(store.all().isEmpty());
  }

  @Test
  @DisplayName("reports each expired channel once")
  void expiredOnce() {
    Channel one = new Channel("one");
    Channel two = new Channel("two");
    store.claim(one, 10, 10);
    store.claim(two, 10, 10);
    now += 61_000;
    assertEquals(ids(one, two), ids(store.expired()));
    assertEquals(List.of(), store.expired());
    assertEquals(List.of(), store.drainExpired());
  }

  @Test
  @DisplayName("an expired channel frees its place under the cap and is still reported")
  void expiryFreesPlace() {
    Channel old = new Channel("old");
    store.claim(old, 1, 1);
    now += 61_000;
    Channel fresh = new Channel("fresh");
    assertEquals(Claim.CLAIMED, store.claim(fresh, 1, 1));
    assertEquals(ids(old), ids(store.drainExpired()));
    assertEquals(fresh.id(), idOf(store.find("fresh")));
  }

  @Test
  @DisplayName("an expired id can be claimed again, and the old channel is reported")
  void expiredIdReclaimed() {
    Channel old = new Channel("demo");
    store.claim(old, 10, 10);
    now += 61_000;
    Channel fresh = new Channel("demo");
    assertEquals(Claim.CLAIMED, store.claim(fresh, 10, 10));
    assertEquals(fresh.id(), idOf(store.find("demo")));
    assertEquals(ids(old), ids(store.drainExpired()));
  }

  @Test
  @DisplayName("drainExpired hands over what other calls expired, without running expiry itself")
  void drainWithoutExpiry() {
    Channel demo = new Channel("demo");
    store.claim(demo, 10, 10);
    now += 61_000;
    assertEquals(List.of(), store.drainExpired());
    assertNull(store.touch("demo"));
    assertEquals(ids(demo), ids(store.drainExpired()));
    assertEquals(List.of(), store.expired());
  }
}
