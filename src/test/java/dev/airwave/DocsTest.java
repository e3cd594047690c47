package dev.airwave;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.bus.Addresses;
import dev.airwave.config.AppConfig;
import dev.airwave.config.ConfigLoader;
import dev.airwave.registry.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The documents name everything the code has")
class DocsTest {
  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file));
  }

  @Test
  @DisplayName("docs/protocol.md lists every address and every error code")
  void protocolIsComplete() throws IOException {
    String protocol = read("docs/protocol.md");
    for (String address : Addresses.INBOUND) {
      assertTrue(protocol.contains("`" + address + "`"), address);
    }
    assertTrue(protocol.contains("`" + Addresses.CHANNELS + "`"));
    assertTrue(protocol.contains("`airwave.peer.<peerId>`"));
    for (ErrorCode code : ErrorCode.values()) {
      assertTrue(
          protocol.contains("| `" + code.wire() + "` | " + code.status() + " |"),
          () -> code.wire() + " with status " + code.status() + " is not in the error table");
    }
  }

  @Test
  @DisplayName("docs/security.md names every per-address quota and the credential setting")
  void securityNamesEveryLimit() throws IOException {
    String security = read("docs/security.md");
    for (String key : AppConfig.defaults().fieldNames()) {
      if (key.contains("PerAddress")
          || key.startsWith("maxWaiting")
          || key.equals("trustedProxies")
          || key.equals("broadcastSecret")) {
        assertTrue(security.contains("`" + key + "`"), () -> key + " is not in docs/security.md");
      }
    }
  }

  @Test
  @DisplayName("docs/configuration.md and conf/config.json name every setting and its variable")
  void configurationIsComplete() throws IOException {
    String doc = read("docs/configuration.md");
    String file = read("conf/config.json");
    for (String key : AppConfig.defaults().fieldNames()) {
      assertTrue(doc.contains("`" + key + "`"), () -> key + " is not in docs/configuration.md");
      assertTrue(
          doc.contains("`" + ConfigLoader.envName(key) + "`"),
          () -> ConfigLoader.envName(key) + " is not in docs/configuration.md");
      assertTrue(file.contains("\"" + key + "\""), () -> key + " is not in conf/config.json");
    }
  }
}
