package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
  void keepaliveKeepsTheChannel() throws InterruptedException {
    BridgeClient broadcaster = clients.broadcaster("idle2");
    BridgeClient ann = clients.viewer("idle2", "Ann");
    assertEquals(666, broadcaster.hello().getLong("keepaliveMs"));
    for (int i = 0; i < 10; i++) {
      Thread.sleep(500);
      broadcaster.request("airwave.channel.keepalive", new JsonObject());
    }
    ann.expectNo("channel-ended", Duration.ofMillis(100));
    broadcaster.request("airwave.chat.send", new JsonObject().put("text", "still here"));
  }
}
