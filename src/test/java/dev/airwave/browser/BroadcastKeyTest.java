package dev.airwave.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.registry.BroadcastCredentials;
import dev.airwave.testing.BridgeClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A server that needs broadcast keys, as the broadcaster page meets it")
class BroadcastKeyTest extends BrowserTest {
  private static final String SECRET = "page-test-secret-0123456789abcdefghij";

  @Override
  protected JsonObject settings() {
    return new JsonObject().put("broadcastSecret", SECRET);
  }

  @Test
  @DisplayName(
      "the page asks for the key, says why it cannot start without one, and starts with one")
  void keyIsAskedForAndUsed() {
    Window page = airwave.openBroadcaster();
    page.await("the key field", Airwave.SHORT, w -> w.element("credential-input").isDisplayed());
    page.type("channel-id-input", "keyed");
    page.type("max-viewers-input", "3");
    page.click("start-button");
    page.await(
        "the refusal",
        Airwave.SHORT,
        w -> String.valueOf(w.stats().get("errors")).contains("needs a broadcast credential"));
    assertEquals("credential-input", page.script("return document.activeElement.id"));
    page.script("window.airwaveDebug.forgetErrors()");
    String key = new BroadcastCredentials(service.vertx(), SECRET).mint("keyed", "page test", 300);
    page.type("credential-input", key);
    page.click("start-button");
    Airwave.awaitLive(page, "keyed");
    try (BridgeClient probe = BridgeClient.ready(service.vertx(), service.port())) {
      JsonObject keyed =
          probe
              .request("airwave.channels.list", new JsonObject())
              .getJsonArray("channels")
              .getJsonObject(0);
      assertEquals("keyed", keyed.getString("id"));
      assertEquals(3, keyed.getInteger("maxViewers"));
    }
    assertTrue(((List<?>) page.stats().get("errors")).isEmpty());
  }
}
