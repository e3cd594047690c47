package dev.airwave.http;

import dev.airwave.config.AppConfig;
import dev.airwave.config.ConfigException;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Whether the service speaks HTTPS, and why: with the configured certificate and key, or with
 * {@code cert.pem} and {@code key.pem} found in the working directory; otherwise plain HTTP.
 */
record Tls(Path cert, Path key, String reason) {
  static final String CERT_FILE = "cert.pem";
  static final String KEY_FILE = "key.pem";

  static Tls resolve(AppConfig config, Path workingDirectory) {
    if (!config.tlsCert().isEmpty()) {
      Path cert = Path.of(config.tlsCert());
      Path key = Path.of(config.tlsKey());
      requireReadable("tlsCert", cert);
      requireReadable("tlsKey", key);
      return new Tls(cert, key, "tlsCert and tlsKey are set");
    }
    Path cert = workingDirectory.resolve(CERT_FILE);
    Path key = workingDirectory.resolve(KEY_FILE);
    if (Files.isReadable(cert) && Files.isReadable(key)) {
      return new Tls(cert, key, CERT_FILE + " and " + KEY_FILE + " are in " + workingDirectory);
    }
    return new Tls(
        null,
        null,
        "no "
            + CERT_FILE
            + " and "
            + KEY_FILE
            + " in "
            + workingDirectory
            + " and no tlsCert/tlsKey set");
  }

  /** TLS 1.2 with forward-secret AEAD suites only, and TLS 1.3. */
  static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  boolean enabled() {
    return cert != null;
  }

  /** Makes the server speak HTTPS with this certificate, when enabled. */
  void apply(HttpServerOptions options) {
    if (!enabled()) {
      return;
    }
    options
        .setSsl(true)
        .setKeyCertOptions(
            new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
  }

  private static void requireReadable(String key, Path file) {
    if (!Files.isReadable(file)) {
      throw new ConfigException("setting \"" + key + "\" names " + file + ", which cannot be read");
    }
  }
}
