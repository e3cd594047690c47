package dev.airwave.http;

import dev.airwave.config.AppConfig;
import dev.airwave.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

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

  boolean enabled() {
    return cert != null;
  }

  private static void requireReadable(String key, Path file) {
    if (!Files.isReadable(file)) {
      throw new ConfigException("setting \"" + key + "\" names " + file + ", which cannot be read");
    }
  }
}
