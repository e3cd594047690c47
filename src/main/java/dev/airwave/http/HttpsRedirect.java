package dev.airwave.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Answers every plain-HTTP request with a permanent redirect to the same path over HTTPS, on the
 * configured public host, or else on the request's host only when it is one this service knows: a
 * {@code Host} header never sends a visitor to a site of an attacker's choosing.
 */
final class HttpsRedirect implements Handler<HttpServerRequest> {
  private final String publicHost;
  private final Set<String> knownHosts;
  private final IntSupplier httpsPort;

  /**
   * @param publicHost where browsers reach the service ({@code host} or {@code host:port}), or
   *     empty
   * @param knownHosts the hosts (lower case, no port) accepted from requests when it is empty
   */
  HttpsRedirect(String publicHost, Set<String> knownHosts, IntSupplier httpsPort) {
    this.publicHost = publicHost;
    this.knownHosts = knownHosts;
    this.httpsPort = httpsPort;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String authority = publicHost.isEmpty() ? requestAuthority(request.authority()) : publicHost;
    if (authority == null) {
      request
          .response()
          .setStatusCode(400)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end("unknown_host: This server does not serve that host; set publicHost.\n");
      return;
    }
    String query = request.query();
    String path = request.path() == null || !request.path().startsWith("/") ? "/" : request.path();
    String target = "https://" + authority + path + (query == null ? "" : "?" + query);
    request.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, target).end();
  }

  private String requestAuthority(HostAndPort requested) {
    String host = requested == null ? "localhost" : requested.host().toLowerCase(Locale.ROOT);
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!knownHosts.contains(bare)) {
      return null;
    }
    String shown = bare.contains(":") ? "[" + bare + "]" : bare;
    int port = httpsPort.getAsInt();
    return port == 443 ? shown : shown + ":" + port;
  }
}
