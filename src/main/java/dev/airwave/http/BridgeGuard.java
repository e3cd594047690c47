package dev.airwave.http;

import dev.airwave.bus.Addresses;
import dev.airwave.registry.SecureIds;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The bridge's gate: gives each socket a peer id, stamps it on everything the socket sends (in
 * place of whatever headers the client wrote), refuses registering another peer's inbox (the
 * allow-list denies everything else), refuses publishing, and reports closed sockets.
 */
final class BridgeGuard implements Handler<BridgeEvent> {
  private final Vertx vertx;
  private final Map<SockJSSocket, String> peers = new HashMap<>();

  BridgeGuard(Vertx vertx) {
    this.vertx = vertx;
  }

  int sockets() {
    return peers.size();
  }

  @Override
  public void handle(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED -> onSocketCreated(event);
      case SEND -> onSend(event);
      case PUBLISH -> event.complete(false);
      case REGISTER -> onRegister(event);
      case SOCKET_CLOSED -> onSocketClosed(event);
      default -> event.complete(true);
    }
  }

  private void onSocketCreated(BridgeEvent event) {
    peers.put(event.socket(), SecureIds.peerId(vertx));
    event.complete(true);
  }

  private void onSend(BridgeEvent event) {
    String peer = peers.get(event.socket());
    if (peer == null) {
      event.complete(false);
      return;
    }
    event.getRawMessage().put("headers", new JsonObject().put(Addresses.PEER_HEADER, peer));
    event.complete(true);
  }

  private void onRegister(BridgeEvent event) {
    String peer = peers.get(event.socket());
    String address = event.getRawMessage().getString("address");
    boolean own = peer != null && Addresses.inbox(peer).equals(address);
    event.complete(own || !Addresses.isInbox(address));
  }

  private void onSocketClosed(BridgeEvent event) {
    String peer = peers.remove(event.socket());
    if (peer != null) {
      vertx
          .eventBus()
          .send(
              Addresses.PEER_GONE,
              null,
              new DeliveryOptions().addHeader(Addresses.PEER_HEADER, peer));
    }
    event.complete(true);
    event.socket().close();
  }
}
