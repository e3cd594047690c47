package dev.airwave.http;

import dev.airwave.config.AppConfig;
import dev.airwave.net.ClientAddresses;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps connections from being held for nothing (slowloris): a connection must complete a request's
 * headers within {@code headerTimeoutSeconds} of opening or of its previous response, and one peer
 * address (an IPv6 /64) holds at most {@code maxConnectionsPerAddress} connections at once, unless
 * it is a trusted proxy. Idle connections are the server's idle timeout's to close. The server must
 * not wait for an HTTP/2 preface (h2c off), or a silent connection would never reach this guard.
 */
final class ConnectionGuard implements Handler<HttpConnection> {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private final Vertx vertx;
  private final ClientAddresses addresses;
  private final EdgeMetrics refusals;
  private final long headerTimeoutMs;
  private final int maxPerAddress;
  private final AddressCounts perAddress;
  private final Map<HttpConnection, Long> awaitingHeaders = new HashMap<>();

  /**
   * The quota key of every counted connection still open. A connection upgraded to a WebSocket
   * never reports its own close (the WebSocket does), so both paths release through here, once.
   */
  private final Map<HttpConnection, String> counted = new HashMap<>();

  ConnectionGuard(
      Vertx vertx,
      AppConfig settings,
      ClientAddresses addresses,
      AddressCounts perAddress,
      EdgeMetrics refusals) {
    this.vertx = vertx;
    this.perAddress = perAddress;
    this.refusals = refusals;
    this.addresses = addresses;
    this.headerTimeoutMs = settings.headerTimeoutSeconds() * 1000L;
    this.maxPerAddress = settings.maxConnectionsPerAddress();
  }

  @Override
  public void handle(HttpConnection connection) {
    String remote =
        connection.remoteAddress() == null ? null : connection.remoteAddress().hostAddress();
    String key =
        remote == null || addresses.trusted(remote) ? null : ClientAddresses.quotaKey(remote);
    if (key != null) {
      if (!perAddress.tryAcquire(key, maxPerAddress)) {
        LOG.debug("refused a connection: {} already holds {}", key, maxPerAddress);
        refusals.refused("too_many_connections");
        connection.close();
        return;
      }
      counted.put(connection, key);
    }
    connection.closeHandler(closed -> closed(connection));
    awaitHeaders(connection);
  }

  /** The first handler of every request: its headers are in; after its response, wait again. */
  void onRequest(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    stopWaiting(connection);
    if (!ctx.request().canUpgradeToWebSocket()) {
      ctx.addEndHandler(ended -> awaitHeaders(connection));
    }
    ctx.next();
  }

  private void awaitHeaders(HttpConnection connection) {
    stopWaiting(connection);
    long timer = vertx.setTimer(headerTimeoutMs, fired -> onHeaderTimeout(connection));
    awaitingHeaders.put(connection, timer);
  }

  private void onHeaderTimeout(HttpConnection connection) {
    if (awaitingHeaders.remove(connection) != null) {
      LOG.debug("closed a connection that sent no complete request in {} ms", headerTimeoutMs);
      refusals.refused("header_timeout");
      connection.close();
    }
  }

  private void stopWaiting(HttpConnection connection) {
    Long timer = awaitingHeaders.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  /** The connection, or the WebSocket it was upgraded to, has closed: it no longer counts. */
  void closed(HttpConnection connection) {
    stopWaiting(connection);
    String key = counted.remove(connection);
    if (key != null) {
      perAddress.release(key);
    }
  }
}
