package dev.airwave.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.HSTSHandler;
import io.vertx.ext.web.handler.XFrameHandler;

/**
 * The headers every response carries so that browsers hold the pages to what they are: scripts and
 * styles from this origin only, never framed by another site, camera and microphone for this page
 * alone, and (over HTTPS) HTTPS from now on.
 */
final class SecurityHeaders {
  private static final long ONE_YEAR_SECONDS = 365L * 24 * 3600;
  private static final String PERMISSIONS =
      "camera=(self), microphone=(self), display-capture=(self), fullscreen=(self),"
          + " geolocation=(), payment=(), usb=(), serial=(), midi=(),"
          + " accelerometer=(), gyroscope=(), magnetometer=()";

  private SecurityHeaders() {}

  static void mount(Router router, boolean https) {
    router.route().handler(contentSecurityPolicy());
    router.route().handler(XFrameHandler.create(XFrameHandler.DENY));
    if (https) {
      router.route().handler(HSTSHandler.create(ONE_YEAR_SECONDS, false));
    }
    router.route().handler(SecurityHeaders::others);
  }

  private static CSPHandler contentSecurityPolicy() {
    return CSPHandler.create()
        .setDirective("default-src", "self")
        .setDirective("script-src", "self")
        .setDirective("style-src", "self")
        .setDirective("img-src", "'self' data:")
        .setDirective("media-src", "'self' blob: mediastream:")
        .setDirective("connect-src", "self")
        .setDirective("frame-ancestors", "none")
        .setDirective("object-src", "none")
        .setDirective("base-uri", "none")
        .setDirective("form-action", "self");
  }

  private static void others(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Permissions-Policy", PERMISSIONS)
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin");
    ctx.next();
  }
}
