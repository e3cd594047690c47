package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.ServiceTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Idle eviction")
class EvictionTest extends ServiceTest {
  @Override
  protected JsonObject settings() {
    return new JsonObject().put("idleTimeoutSeconds", 2).put("sweepSeconds", 1);
  }

  @Test
  @DisplayName(
      "a channel with no activity for the idle timeout is evicted and its members told why")
  void idleChannelIsEvicted() {
    BridgeClient broadcaster = clients.broadcaster("idle1");
    BridgeClient ann = clients.viewer("idle1", "Ann");
    assertEquals("idle", ann.next("channel-ended", Duration.ofSeconds(5)).getString("reason"));
    assertEquals(
        "idle", broadcaster.next("channel-ended", Duration.ofSeconds(1)).getString("reason"));
    broadcaster
        .refusal("airwave.channel.keepalive", new JsonObject())
        .assertCode("not_broadcaster");
  }

  @Test
  @DisplayName("a broadcaster that sends keep-alives is never evicted")
  void keepaliveKeepsTheChannel() {
    BridgeClient broadcaster = clients.broadcaster("idle2");
    BridgeClient ann = clients.viewer("idle2", "Ann");
    // Started last and silent: it idles out no earlier than idle2 would without keep-alives.
    BridgeClient silent = clients.broadcaster("idle3");
    Duration keepalive = Duration.ofMillis(broadcaster.hello().getLong("keepaliveMs"));
    assertEquals(Duration.ofMillis(666), keepalive);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonObject silentEnded = null;
    while (silentEnded == null && System.nanoTime() < deadline) {
      broadcaster.request("airwave.channel.keepalive", new JsonObject());
      silentEnded = silent.poll("channel-ended", keepalive);
    }
    assertNotNull(silentEnded, "the silent channel idled out");
    assertEquals("idle", silentEnded.getString("reason"));
    broadcaster.request("airwave.chat.send", new JsonObject().put("text", "still here"));
    assertEquals("still here", ann.next("chat").getString("text"));
    // An eviction by that sweep would have reached Ann before the chat line.
    ann.expectNo("channel-ended", Duration.ZERO);
  }
}
