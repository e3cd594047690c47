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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("HTTPS with a certificate the test makes, and the redirect from plain HTTP")
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
    JsonObject settings =
        new JsonObject()
            .put("tlsCert", pair[0].toString())
            .put("tlsKey", pair[1].toString())
            .put("httpRedirectPort", redirectPort);
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
