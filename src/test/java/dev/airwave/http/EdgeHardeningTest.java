package dev.airwave.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.Clients;
import dev.airwave.testing.HonestBroadcast;
import dev.airwave.testing.Http;
import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The HTTP edge holds against slow, many, framed and nosy clients")
@Tag("integration")
class EdgeHardeningTest {
  /** An attacker's own loopback address: Linux answers on all of 127.0.0.0/8. */
  private static final String ATTACKER = "127.0.0.66";

  @TempDir Path dir;

  private static Socket connectFrom(String local, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    return socket;
  }

  /** Whether the server closes the connection within the wait (EOF or reset). */
  private static boolean closedByServer(Socket socket, int waitMs) throws IOException {
    socket.setSoTimeout(waitMs);
    InputStream in = socket.getInputStream();
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    }
  }

  @Test
  @DisplayName("half-sent headers and silent connections are closed after headerTimeoutSeconds")
  void slowlorisIsCut() throws Exception {
    JsonObject settings = new JsonObject().put("headerTimeoutSeconds", 1);
    try (ServiceUnderTest service = ServiceUnderTest.start(settings);
        Clients clients = new Clients(service)) {
      HonestBroadcast honest = HonestBroadcast.start(clients, "slowloris");
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Socket socket = connectFrom(ATTACKER, service.port());
        if (i % 2 == 0) {
          socket
              .getOutputStream()
              .write(
                  "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                      .getBytes(StandardCharsets.US_ASCII));
        }
        held.add(socket);
      }
      // The slowloris pace: a byte before the 1 s header timeout, which must not restart it.
      Thread.sleep(600);
      for (Socket socket : held) {
        socket.getOutputStream().write('a');
      }
      for (Socket socket : held) {
        assertTrue(closedByServer(socket, 4000), "a slow connection stayed open");
        socket.close();
      }
      honest.assertEverythingArrived();
    }
  }

  @Test
  @DisplayName("a connection that finished a request may stay for the next one, within limits")
  void keepAliveStillWorks() throws Exception {
    JsonObject settings = new JsonObject().put("headerTimeoutSeconds", 2);
    try (ServiceUnderTest service = ServiceUnderTest.start(settings);
        Socket socket = connectFrom("127.0.0.1", service.port())) {
      byte[] request =
          "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII);
      socket.getOutputStream().write(request);
      // An idle gap between two requests, shorter than the 2 s header timeout, must be allowed.
      Thread.sleep(1000);
      socket.getOutputStream().write(request);
      socket.setSoTimeout(3000);
      String answers = new String(readSome(socket.getInputStream()), StandardCharsets.US_ASCII);
      assertTrue(answers.startsWith("HTTP/1.1 200"), answers);
      assertTrue(closedByServer(socket, 4000), "an idle keep-alive connection stayed open");
    }
  }

  @Test
  @DisplayName("a request whose headers pass 8 KB is refused with 431, and the service goes on")
  void oversizedHeadersAreRefused() throws Exception {
    try (ServiceUnderTest service = ServiceUnderTest.start();
        Socket socket = connectFrom(ATTACKER, service.port())) {
      String huge = "x".repeat(9000);
      socket
          .getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + huge + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(3000);
      String answer = new String(readSome(socket.getInputStream()), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
      assertEquals(200, Http.get(service.baseUrl() + "/health/live").statusCode());
    }
  }

  @Test
  @DisplayName(
      "a kept-alive connection that says nothing more is closed after connectionIdleSeconds")
  void idleConnectionsAreClosed() throws Exception {
    JsonObject settings =
        new JsonObject()
            .put("connectionIdleSeconds", 30)
            .put("pingTimeoutMs", 20_000)
            .put("headerTimeoutSeconds", 3600);
    try (ServiceUnderTest service = ServiceUnderTest.start(settings);
        Socket socket = answered(connectFrom(ATTACKER, service.port()))) {
      assertFalse(closedByServer(socket, 25_000), "closed before the idle timeout");
      assertTrue(closedByServer(socket, 10_000), "an idle connection stayed open");
    }
  }

  private static byte[] readSome(InputStream in) throws IOException {
    byte[] buffer = new byte[4096];
    int n = in.read(buffer);
    return n < 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, n);
  }

  @Test
  @DisplayName("one address holds at most maxConnectionsPerAddress connections; others go on")
  void connectionsPerAddress() throws Exception {
    JsonObject settings = new JsonObject().put("maxConnectionsPerAddress", 5);
    try (ServiceUnderTest service = ServiceUnderTest.start(settings);
        Clients clients = new Clients(service)) {
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        held.add(answered(connectFrom(ATTACKER, service.port())));
      }
      Socket sixth = connectFrom(ATTACKER, service.port());
      assertTrue(closedByServer(sixth, 2000), "the sixth connection was kept");
      for (Socket socket : held) {
        assertFalse(closedByServer(socket, 100), "a connection within the cap was closed");
      }
      HonestBroadcast honest = HonestBroadcast.start(clients, "tcp-cap");
      held.get(0).close();
      Socket again = reconnectWithin(service.port(), 3000);
      honest.assertEverythingArrived();
      for (Socket socket : held) {
        socket.close();
      }
      again.close();
      sixth.close();
    }
  }

  @Test
  @DisplayName("a closed WebSocket gives its connection's place back (sockets come and go)")
  void webSocketsGiveTheirPlaceBack() throws Exception {
    JsonObject settings = new JsonObject().put("maxConnectionsPerAddress", 3);
    try (ServiceUnderTest service = ServiceUnderTest.start(settings)) {
      // ten times the cap, one after another: each place must come back when its socket closes
      for (int i = 0; i < 30; i++) {
        readyWithin(service, 3000).close();
      }
      List<BridgeClient> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        held.add(readyWithin(service, 3000));
      }
      assertThrows(
          RuntimeException.class,
          () -> BridgeClient.connect(service.vertx(), service.port()),
          "a fourth connection at once");
      held.forEach(BridgeClient::close);
    }
  }

  /** A bridge client, once the server has let go of the connections closed before it. */
  private static BridgeClient readyWithin(ServiceUnderTest service, long waitMs) {
    long deadline = System.currentTimeMillis() + waitMs;
    while (true) {
      try {
        return BridgeClient.ready(service.vertx(), service.port());
      } catch (RuntimeException refused) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("a closed WebSocket's place was not given back", refused);
        }
      }
    }
  }

  /**
   * The connection, once the server has answered a request on it: the edge runs on several event
   * loops, so only an answer proves that this connection was counted before the next one.
   */
  private static Socket answered(Socket socket) throws IOException {
    socket
        .getOutputStream()
        .write(
            "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    socket.setSoTimeout(3000);
    String answer = new String(readSome(socket.getInputStream()), StandardCharsets.US_ASCII);
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    return socket;
  }

  /** A new connection from the attacker once the server has seen an old one close. */
  private static Socket reconnectWithin(int port, long waitMs) throws Exception {
    long deadline = System.currentTimeMillis() + waitMs;
    while (true) {
      Socket socket = connectFrom(ATTACKER, port);
      if (!closedByServer(socket, 300)) {
        return socket;
      }
      socket.close();
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("a freed place was not given again");
      }
    }
  }

  @Test
  @DisplayName("a trusted proxy is not held to the per-address connection cap")
  void trustedProxyIsExempt() throws Exception {
    JsonObject settings =
        new JsonObject()
            .put("maxConnectionsPerAddress", 2)
            .put("trustedProxies", new JsonArray().add("127.0.0.1"));
    try (ServiceUnderTest service = ServiceUnderTest.start(settings)) {
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        held.add(connectFrom("127.0.0.1", service.port()));
      }
      for (Socket socket : held) {
        assertFalse(closedByServer(socket, 100));
        socket.close();
      }
    }
  }

  @Test
  @DisplayName(
      "pages, scripts, health and the bridge carry the security headers; no HSTS over HTTP")
  void securityHeaders() throws Exception {
    try (ServiceUnderTest service = ServiceUnderTest.start()) {
      for (String path : List.of("/", "/js/app.js", "/health", "/eventbus/info")) {
        var headers = Http.get(service.baseUrl() + path).headers();
        String csp = headers.firstValue("content-security-policy").orElse("");
        assertTrue(csp.contains("default-src 'self'"), path + ": " + csp);
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertTrue(csp.contains("object-src 'none'"), csp);
        assertEquals("DENY", headers.firstValue("x-frame-options").orElse(""), path);
        assertEquals("nosniff", headers.firstValue("x-content-type-options").orElse(""), path);
        assertEquals("no-referrer", headers.firstValue("referrer-policy").orElse(""), path);
        String permissions = headers.firstValue("permissions-policy").orElse("");
        assertTrue(permissions.contains("camera=(self)"), permissions);
        assertTrue(permissions.contains("microphone=(self)"), permissions);
        assertTrue(permissions.contains("geolocation=()"), permissions);
        assertTrue(headers.firstValue("strict-transport-security").isEmpty(), path);
      }
    }
  }

  @Test
  @DisplayName("files and folders whose names start with a dot are never served")
  void noDotfiles() throws Exception {
    Path webroot = dir.resolve("webroot");
    Files.createDirectories(webroot.resolve(".hidden"));
    Files.createDirectories(webroot.resolve("open"));
    Files.writeString(webroot.resolve("index.html"), "<!doctype html><title>x</title>");
    Files.writeString(webroot.resolve(".secret"), "secret");
    Files.writeString(webroot.resolve(".hidden/x.txt"), "secret");
    Files.writeString(webroot.resolve("open/.env"), "secret");
    Files.writeString(webroot.resolve("open/ok.txt"), "fine");
    try (ServiceUnderTest service =
        ServiceUnderTest.start(new JsonObject().put("webroot", webroot.toString()))) {
      for (String path : List.of("/.secret", "/.hidden/x.txt", "/open/.env", "/open/%2Eenv")) {
        HttpResponse<String> response = Http.get(service.baseUrl() + path);
        assertEquals(404, response.statusCode(), path);
        assertFalse(response.body().contains("secret"), path);
      }
      assertEquals(200, Http.get(service.baseUrl() + "/open/ok.txt").statusCode());
    }
  }

  @Test
  @DisplayName("the Origin check compares the scheme too, and believes a trusted proxy's scheme")
  void originSchemeCounts() {
    try (ServiceUnderTest plain = ServiceUnderTest.start()) {
      String own = "127.0.0.1:" + plain.port();
      assertThrows(
          RuntimeException.class,
          () -> BridgeClient.connect(plain.vertx(), plain.port(), "https://" + own));
      BridgeClient.connect(plain.vertx(), plain.port(), "http://" + own).close();
    }
    JsonObject behindProxy =
        new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"));
    try (ServiceUnderTest proxied = ServiceUnderTest.start(behindProxy)) {
      String own = "127.0.0.1:" + proxied.port();
      Map<String, String> https = Map.of("Origin", "https://" + own, "X-Forwarded-Proto", "https");
      BridgeClient.connect(proxied.vertx(), proxied.port(), https).close();
      Map<String, String> mixed = Map.of("Origin", "http://" + own, "X-Forwarded-Proto", "https");
      assertThrows(
          RuntimeException.class,
          () -> BridgeClient.connect(proxied.vertx(), proxied.port(), mixed));
    }
  }
}
