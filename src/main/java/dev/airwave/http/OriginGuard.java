package dev.airwave.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Refuses bridge requests from pages of other sites (cross-site WebSocket hijacking): a request
 * that names an {@code Origin} must come from the same host or from a configured origin.
 */
final class OriginGuard implements Handler<RoutingContext> {
  private final List<String> allowed;

  OriginGuard(List<String> allowedOrigins) {
    this.allowed = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin == null
        || sameHost(origin, ctx)
        || allowed.contains(origin.toLowerCase(Locale.ROOT))) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(403).end("origin_not_allowed: This origin may not connect.");
    }
  }

  private static boolean sameHost(String origin, RoutingContext ctx) {
    String host = ctx.request().getHeader(HttpHeaders.HOST);
    if (host == null) {
      return false;
    }
    try {
      URI uri = URI.create(origin);
      return uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
