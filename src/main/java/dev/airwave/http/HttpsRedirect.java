package dev.airwave.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.IntSupplier;

/** Answers every plain-HTTP request with a permanent redirect to the same path over HTTPS. */
final class HttpsRedirect implements Handler<HttpServerRequest> {
  private final IntSupplier httpsPort;

  HttpsRedirect(IntSupplier httpsPort) {
    this.httpsPort = httpsPort;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String host = request.authority() == null ? "localhost" : request.authority().host();
    int port = httpsPort.getAsInt();
    String authority = port == 443 ? host : host + ":" + port;
    if (host.contains(":")) {
      authority = "[" + host + "]" + (port == 443 ? "" : ":" + port);
    }
    request
        .response()
        .setStatusCode(301)
        .putHeader(HttpHeaders.LOCATION, "https://" + authority + request.uri())
        .end();
  }
}
