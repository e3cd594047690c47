package dev.airwave.http;

import dev.airwave.net.ClientAddresses;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Refuses bridge requests from pages of other sites (cross-site WebSocket hijacking): a request
 * that names an {@code Origin} must come from the same scheme, host and port as the request itself
 * (behind a trusted proxy, the scheme it reports), or from a configured origin.
 */
final class OriginGuard implements Handler<RoutingContext> {
  private final List<String> allowed;
  private final ClientAddresses addresses;
  private final String ownScheme;

  OriginGuard(List<String> allowedOrigins, ClientAddresses addresses, boolean https) {
    this.allowed = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    this.addresses = addresses;
    this.ownScheme = https ? "https" : "http";
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin == null
        || sameOrigin(origin, ctx.request())
        || allowed.contains(origin.toLowerCase(Locale.ROOT))) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(403).end("origin_not_allowed: This origin may not connect.");
    }
  }

  private boolean sameOrigin(String origin, HttpServerRequest request) {
    String host = request.getHeader(HttpHeaders.HOST);
    if (host == null) {
      return false;
    }
    String remote = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    String scheme = addresses.scheme(remote, request.headers(), ownScheme);
    try {
      URI uri = URI.create(origin);
      return scheme.equalsIgnoreCase(uri.getScheme())
          && uri.getRawAuthority() != null
          && uri.getRawAuthority().equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
