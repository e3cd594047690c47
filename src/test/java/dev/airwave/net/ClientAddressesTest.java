package dev.airwave.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client address is the direct peer unless a trusted proxy forwards it")
class ClientAddressesTest {
  private final ClientAddresses addresses =
      new ClientAddresses(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

  private static MultiMap headers(String... pairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      headers.add(pairs[i], pairs[i + 1]);
    }
    return headers;
  }

  @Test
  @DisplayName("an untrusted peer's forwarding headers are ignored")
  void untrustedPeerCannotForward() {
    assertEquals(
        "203.0.113.9",
        addresses.resolve("203.0.113.9", headers("X-Forwarded-For", "198.51.100.1")));
    assertEquals(
        "203.0.113.9", addresses.resolve("203.0.113.9", headers("Forwarded", "for=198.51.100.1")));
  }

  @Test
  @DisplayName("behind trusted proxies the first untrusted hop from the right is the client")
  void firstUntrustedHopFromTheRight() {
    assertEquals(
        "198.51.100.2",
        addresses.resolve(
            "10.1.2.3",
            headers("X-Forwarded-For", "1.1.1.1, 198.51.100.2, 10.9.9.9, 192.168.1.7")));
    assertEquals(
        "198.51.100.2",
        addresses.resolve(
            "10.1.2.3",
            headers("Forwarded", "for=1.1.1.1, for=\"198.51.100.2:4711\";proto=https")));
    assertEquals(
        "2001:db8::1",
        addresses.resolve("10.1.2.3", headers("Forwarded", "for=\"[2001:db8::1]\"")));
  }

  @Test
  @DisplayName("a forged or unreadable hop is never believed past the last good one")
  void garbageStopsTheWalk() {
    assertEquals(
        "198.51.100.2",
        addresses.resolve("10.1.2.3", headers("X-Forwarded-For", "evil, 198.51.100.2")));
    assertEquals("10.1.2.3", addresses.resolve("10.1.2.3", headers("X-Forwarded-For", "a.b")));
    assertEquals("10.1.2.3", addresses.resolve("10.1.2.3", headers()));
    assertEquals("unknown", addresses.resolve(null, headers()));
  }

  @Test
  @DisplayName("the scheme comes from a trusted proxy only")
  void schemeFromTrustedProxy() {
    MultiMap https = headers("X-Forwarded-Proto", "https");
    assertEquals("https", addresses.scheme("10.0.0.1", https, "http"));
    assertEquals("http", addresses.scheme("203.0.113.9", https, "http"));
    assertEquals(
        "https",
        addresses.scheme("10.0.0.1", headers("Forwarded", "for=1.2.3.4;proto=https"), "http"));
  }

  @Test
  @DisplayName("quotas count an IPv4 address alone and an IPv6 address by its /64")
  void quotaKeys() {
    assertEquals("198.51.100.2", ClientAddresses.quotaKey("198.51.100.2"));
    assertEquals(
        ClientAddresses.quotaKey("2001:db8:1:2::1"),
        ClientAddresses.quotaKey("2001:db8:1:2:ffff:1:2:3"));
    assertFalse(
        ClientAddresses.quotaKey("2001:db8:1:2::1")
            .equals(ClientAddresses.quotaKey("2001:db8:1:3::1")));
    assertEquals("198.51.100.2", addresses.resolve("::ffff:198.51.100.2", headers()));
  }

  @Test
  @DisplayName("ranges are IP addresses or CIDRs, nothing else")
  void validRanges() {
    assertTrue(ClientAddresses.valid("10.0.0.0/8"));
    assertTrue(ClientAddresses.valid("::1"));
    assertTrue(ClientAddresses.valid("2001:db8::/32"));
    assertFalse(ClientAddresses.valid("10.0.0.0/33"));
    assertFalse(ClientAddresses.valid("lb.example"));
    assertFalse(ClientAddresses.valid("10.0.0.0/x"));
    assertTrue(addresses.trusted("fd12::1"));
    assertFalse(addresses.trusted("fe80::1"));
  }
}
