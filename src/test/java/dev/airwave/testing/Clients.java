package dev.airwave.testing;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  /** A ready client that a trusted proxy forwards from this client address. */
  public BridgeClient readyFrom(String address) {
    BridgeClient client =
        BridgeClient.ready(service.vertx(), service.port(), forwardedFor(address));
    open.add(client);
    return client;
  }

  /** A connected client (no hello) that a trusted proxy forwards from this client address. */
  public BridgeClient rawFrom(String address) {
    BridgeClient client =
        BridgeClient.connect(service.vertx(), service.port(), forwardedFor(address));
    open.add(client);
    return client;
  }

  /** A broadcaster from this client address, live on the given channel id. */
  public BridgeClient broadcasterFrom(String address, String channelId) {
    BridgeClient broadcaster = readyFrom(address);
    broadcaster.request("airwave.channel.create", new JsonObject().put("id", channelId));
    return broadcaster;
  }

  /** A viewer from this client address, joined to the given channel under the given name. */
  public BridgeClient viewerFrom(String address, String channelId, String name) {
    BridgeClient viewer = readyFrom(address);
    viewer.request("airwave.channel.join", new JsonObject().put("id", channelId).put("name", name));
    return viewer;
  }

  private static Map<String, String> forwardedFor(String address) {
    return Map.of("X-Forwarded-For", address);
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
