package dev.airwave.testing;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Opens ready clients against one service and closes them all at the end of a test. */
public final class Clients implements AutoCloseable {
  private final ServiceUnderTest service;
  private final List<BridgeClient> open = new ArrayList<>();

  public Clients(ServiceUnderTest service) {
    this.service = service;
  }

  public BridgeClient ready() {
    BridgeClient client = BridgeClient.ready(service.vertx(), service.port());
    open.add(client);
    return client;
  }

  public BridgeClient raw() {
    BridgeClient client = BridgeClient.connect(service.vertx(), service.port());
    open.add(client);
    return client;
  }

  /** A broadcaster live on the given channel id. */
  public BridgeClient broadcaster(String channelId) {
    BridgeClient broadcaster = ready();
    broadcaster.request("airwave.channel.create", new JsonObject().put("id", channelId));
    return broadcaster;
  }

  /** A viewer joined to the given channel under the given name. */
  public BridgeClient viewer(String channelId, String name) {
    BridgeClient viewer = ready();
    viewer.request("airwave.channel.join", new JsonObject().put("id", channelId).put("name", name));
    return viewer;
  }

  @Override
  public void close() {
    for (BridgeClient client : open) {
      try {
        client.close();
      } catch (RuntimeException e) {
        // already closed by the test
      }
    }
    open.clear();
  }
}
