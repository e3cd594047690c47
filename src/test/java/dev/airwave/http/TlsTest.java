package dev.airwave.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.config.AppConfig;
import dev.airwave.config.ConfigException;
import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.Ports;
import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("HTTPS with a certificate the test makes, and the redirect from plain HTTP")
@Tag("integration")
class TlsTest {
  @TempDir Path dir;

  private Path[] makeCertificate() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    assertTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl failed");
    return new Path[] {cert, key};
  }

  private static JsonObject httpsWithRedirect(Path[] pair, int redirectPort) {
    return new JsonObject()
        .put("tlsCert", pair[0].toString())
        .put("tlsKey", pair[1].toString())
        .put("httpRedirectPort", redirectPort);
  }

  private static HttpClient trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "airwave", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, factory.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  @DisplayName(
      "with a certificate and key configured, pages, health and the bridge are served over HTTPS")
  void servesHttps() throws Exception {
    Path[] pair = makeCertificate();
    int redirectPort = Ports.free();
    JsonObject settings = httpsWithRedirect(pair, redirectPort);
    try (ServiceUnderTest service = ServiceUnderTest.start(settings)) {
      HttpClient https = trusting(pair[0]);
      String base = "https://127.0.0.1:" + service.port();
      var health =
          https.send(
              HttpRequest.newBuilder(URI.create(base + "/health")).build(),
              BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertEquals("UP", new JsonObject(health.body()).getString("status"));
      assertEquals(
          200,
          https
              .send(HttpRequest.newBuilder(URI.create(base + "/")).build(), BodyHandlers.ofString())
              .statusCode());
      try (BridgeClient client =
          BridgeClient.connectTls(service.vertx(), service.port(), pair[0])) {
        assertTrue(client.hello().getString("peerId").matches("[A-Za-z0-9_-]{22}"));
      }
      HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      var redirected =
          plain.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + redirectPort + "/?channel=abc"))
                  .build(),
              BodyHandlers.ofString());
      assertEquals(301, redirected.statusCode());
      assertEquals(base + "/?channel=abc", redirected.headers().firstValue("location").orElse(""));
      String hsts = health.headers().firstValue("strict-transport-security").orElse("");
      assertTrue(hsts.contains("max-age=31536000"), hsts);
    }
  }

  /** Sends raw request bytes to a plain-HTTP port and returns the status line and headers. */
  private static String raw(int port, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  @Test
  @DisplayName("the redirect never sends a visitor to a host the request names but we do not serve")
  void redirectKeepsToKnownHosts() throws Exception {
    Path[] pair = makeCertificate();
    int redirectPort = Ports.free();
    JsonObject settings = httpsWithRedirect(pair, redirectPort);
    try (ServiceUnderTest service = ServiceUnderTest.start(settings)) {
      String foreign =
          raw(redirectPort, "GET /x HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
      assertTrue(foreign.startsWith("HTTP/1.1 400"), foreign);
      assertFalse(foreign.contains("evil.example"), foreign);
      String absolute =
          raw(
              redirectPort,
              "GET http://evil.example/steal?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      assertTrue(absolute.startsWith("HTTP/1.1 301"), absolute);
      assertTrue(
          absolute.contains("location: https://localhost:" + service.port() + "/steal?x=1\r\n")
              || absolute.contains(
                  "Location: https://localhost:" + service.port() + "/steal?x=1\r\n"),
          absolute);
    }
    settings.put("publicHost", "airwave.example.org").put("httpRedirectPort", Ports.free());
    try (ServiceUnderTest service = ServiceUnderTest.start(settings)) {
      assertTrue(service.port() > 0);
      String anyHost =
          raw(
              settings.getInteger("httpRedirectPort"),
              "GET /?channel=a HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
      assertTrue(
          anyHost
              .toLowerCase(java.util.Locale.ROOT)
              .contains("location: https://airwave.example.org/?channel=a\r\n"),
          anyHost);
    }
  }

  /** Whether a TLS 1.2 client offering only this suite completes a handshake. */
  private static boolean handshakes(int port, String suite) throws Exception {
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(null, new TrustManager[] {new TrustEverything()}, null);
    try (SSLSocket socket =
        (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.setEnabledCipherSuites(new String[] {suite});
      socket.startHandshake();
      return true;
    } catch (SSLException e) {
      return false;
    }
  }

  @Test
  @DisplayName("TLS offers forward-secret AEAD suites only: no static RSA, no CBC with SHA-1")
  void modernSuitesOnly() throws Exception {
    JsonObject settings = httpsWithRedirect(makeCertificate(), 0);
    try (ServiceUnderTest service = ServiceUnderTest.start(settings)) {
      assertTrue(handshakes(service.port(), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
      assertFalse(handshakes(service.port(), "TLS_RSA_WITH_AES_128_GCM_SHA256"));
      assertFalse(handshakes(service.port(), "TLS_RSA_WITH_AES_128_CBC_SHA"));
      assertFalse(handshakes(service.port(), "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"));
    }
  }

  /** Trusts any certificate: only for checking which suites a handshake accepts. */
  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  @Test
  @DisplayName("cert.pem and key.pem in the working directory turn HTTPS on by themselves")
  void findsCertificateInWorkingDirectory() throws Exception {
    AppConfig defaults = AppConfig.fromJson(new JsonObject());
    Tls none = Tls.resolve(defaults, dir);
    assertFalse(none.enabled());
    assertTrue(none.reason().contains("no cert.pem and key.pem"));
    makeCertificate();
    Tls found = Tls.resolve(defaults, dir);
    assertTrue(found.enabled());
    assertEquals(dir.resolve("cert.pem"), found.cert());
  }

  @Test
  @DisplayName("a configured certificate that cannot be read stops the start, naming the setting")
  void missingConfiguredCertificate() {
    AppConfig config =
        AppConfig.fromJson(
            new JsonObject()
                .put("tlsCert", dir.resolve("nope.pem").toString())
                .put("tlsKey", "k.pem"));
    ConfigException refused = assertThrows(ConfigException.class, () -> Tls.resolve(config, dir));
    assertTrue(refused.getMessage().contains("\"tlsCert\""), refused.getMessage());
  }
}
