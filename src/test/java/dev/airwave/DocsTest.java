package dev.airwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.bus.Addresses;
import dev.airwave.config.AppConfig;
import dev.airwave.config.ConfigLoader;
import dev.airwave.registry.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The documents name everything the code has")
class DocsTest {
  private static final Path PAGE_SCRIPTS = Path.of("webroot", "js");
  private static final Path PAGE_PROTOCOL = PAGE_SCRIPTS.resolve("protocol.js");

  /** {@code export const NAME = Object.freeze({ key: 'value', ... });} in protocol.js. */
  private static final Pattern FROZEN =
      Pattern.compile("export const (\\w+) = Object\\.freeze\\(\\{(.*?)\\}\\);", Pattern.DOTALL);

  private static final Pattern VALUE = Pattern.compile("\\w+: '([^']*)'");

  /** A row of the address table in docs/protocol.md (not the per-peer inbox). */
  private static final Pattern ADDRESS_ROW =
      Pattern.compile("^\\| `(airwave\\.[a-z.]+)` \\|", Pattern.MULTILINE);

  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file));
  }

  /** The string values of each frozen object protocol.js exports, by the object's name. */
  private static Map<String, List<String>> pageProtocol() throws IOException {
    Map<String, List<String>> names = new LinkedHashMap<>();
    Matcher object = FROZEN.matcher(Files.readString(PAGE_PROTOCOL));
    while (object.find()) {
      List<String> values = new ArrayList<>();
      Matcher value = VALUE.matcher(object.group(2));
      while (value.find()) {
        values.add(value.group(1));
      }
      names.put(object.group(1), values);
    }
    return names;
  }

  private static Set<String> documentedAddresses() throws IOException {
    return ADDRESS_ROW
        .matcher(read("docs/protocol.md"))
        .results()
        .map(row -> row.group(1))
        .collect(Collectors.toSet());
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
  @DisplayName(
      "every name in webroot/js/protocol.js is in docs/protocol.md, its addresses in the table")
  void pageProtocolIsDocumented() throws IOException {
    String protocol = read("docs/protocol.md");
    Map<String, List<String>> names = pageProtocol();
    for (String object : List.of("ADDRESS", "MESSAGE", "ERROR", "END_REASON")) {
      assertFalse(
          names.getOrDefault(object, List.of()).isEmpty(), object + " read from protocol.js");
    }
    Set<String> documented = documentedAddresses();
    assertEquals(
        List.of(),
        names.get("ADDRESS").stream().filter(a -> !documented.contains(a)).toList(),
        "addresses of protocol.js missing from the address table of docs/protocol.md");
    names.forEach(
        (object, values) -> {
          if (object.startsWith("PAGE_")) {
            return; // the page's own codes, never sent by the service
          }
          for (String value : values) {
            assertTrue(
                protocol.contains("`" + value + "`"),
                () -> object + " holds `" + value + "`, which docs/protocol.md does not name");
          }
        });
  }

  @Test
  @DisplayName("no page module but webroot/js/protocol.js spells a bridge address")
  void addressesLiveInProtocolJs() throws IOException {
    Set<String> addresses = documentedAddresses();
    assertTrue(addresses.size() >= 12, () -> "addresses read from the table: " + addresses);
    List<Path> scripts;
    try (Stream<Path> files = Files.walk(PAGE_SCRIPTS)) {
      scripts =
          files.filter(f -> f.toString().endsWith(".js") && !f.equals(PAGE_PROTOCOL)).toList();
    }
    assertFalse(scripts.isEmpty());
    for (Path script : scripts) {
      String text = Files.readString(script);
      for (String address : addresses) {
        for (String quote : List.of("'", "\"", "`")) {
          assertFalse(
              text.contains(quote + address + quote),
              () -> script + " spells " + address + "; import it from protocol.js");
        }
      }
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
