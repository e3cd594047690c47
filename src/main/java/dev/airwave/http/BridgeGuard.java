package dev.airwave.http;

import dev.airwave.bus.Addresses;
import dev.airwave.config.AppConfig;
import dev.airwave.net.ClientAddresses;
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
 * The bridge's gate: gives each socket a peer id, refuses a socket past its client address's share,
 * stamps the peer id and the client address on everything the socket sends (in place of whatever
 * headers the client wrote), refuses registering another peer's inbox (the allow-list denies
 * everything else), refuses publishing, and reports closed sockets.
 */
final class BridgeGuard implements Handler<BridgeEvent> {
  private static final JsonObject TOO_MANY_SOCKETS =
      new JsonObject()
          .put("type", "err")
          .put("body", "too_many_sockets")
          .put("message", "too_many_sockets: This address has too many connections open.");

  private final Vertx vertx;
  private final ClientAddresses addresses;
  private final EdgeMetrics refusals;
  private final int maxSocketsPerAddress;
  private final Map<SockJSSocket, Member> peers = new HashMap<>();
  private final AddressCounts socketsPerClient;

  /** What the edge knows of one socket: its peer id and its client address (quota key). */
  private record Member(String peer, String client) {}

  BridgeGuard(
      Vertx vertx,
      AppConfig settings,
      ClientAddresses addresses,
      AddressCounts socketsPerClient,
      EdgeMetrics refusals) {
    this.vertx = vertx;
    this.socketsPerClient = socketsPerClient;
    this.refusals = refusals;
    this.addresses = addresses;
    this.maxSocketsPerAddress = settings.maxSocketsPerAddress();
  }

  /** Open bridge sockets on this node, every edge instance together. */
  int sockets() {
    return socketsPerClient.total();
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

  /** Admits a socket unless its client address already holds its share of sockets. */
  private void onSocketCreated(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    String remote = socket.remoteAddress() == null ? null : socket.remoteAddress().hostAddress();
    String client = ClientAddresses.quotaKey(addresses.resolve(remote, socket.headers()));
    if (!socketsPerClient.tryAcquire(client, maxSocketsPerAddress)) {
      socket.write(TOO_MANY_SOCKETS.toBuffer());
      refusals.refused("too_many_sockets");
      event.complete(false);
      return;
    }
    peers.put(socket, new Member(SecureIds.peerId(vertx), client));
    event.complete(true);
  }

  private void onSend(BridgeEvent event) {
    Member member = peers.get(event.socket());
    if (member == null) {
      event.complete(false);
      return;
    }
    event
        .getRawMessage()
        .put(
            "headers",
            new JsonObject()
                .put(Addresses.PEER_HEADER, member.peer())
                .put(Addresses.CLIENT_HEADER, member.client()));
    event.complete(true);
  }

  private void onRegister(BridgeEvent event) {
    Member member = peers.get(event.socket());
    String address = event.getRawMessage().getString("address");
    boolean own = member != null && Addresses.inbox(member.peer()).equals(address);
    event.complete(own || !Addresses.isInbox(address));
  }

  private void onSocketClosed(BridgeEvent event) {
    Member member = peers.remove(event.socket());
    if (member != null) {
      socketsPerClient.release(member.client());
      vertx
          .eventBus()
          .send(
              Addresses.PEER_GONE,
              null,
              new DeliveryOptions().addHeader(Addresses.PEER_HEADER, member.peer()));
    }
    event.complete(true);
    event.socket().close();
  }
}
