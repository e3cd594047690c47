package dev.airwave.net;

import io.netty.util.NetUtil;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Says which client a connection speaks for: its direct peer, or, when that peer is a trusted
 * proxy, the first untrusted hop of {@code Forwarded} or {@code X-Forwarded-For}, read from the
 * right. Quotas count per {@link #quotaKey}: one IPv4 address, or one IPv6 /64 (what one home or
 * host is usually given, so that rotating addresses inside it gains nothing).
 */
public final class ClientAddresses {
  private static final String UNKNOWN = "unknown";

  private final List<Range> trusted;

  public ClientAddresses(List<String> trustedProxies) {
    this.trusted = trustedProxies.stream().map(Range::parse).toList();
  }

  /** Whether this setting value is an IP address or a CIDR range (for the settings check). */
  public static boolean valid(String range) {
    try {
      Range.parse(range);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether the direct peer is a configured proxy whose forwarding headers are believed. */
  public boolean trusted(String remoteHost) {
    byte[] address = bytes(remoteHost);
    return address != null && trusted.stream().anyMatch(range -> range.contains(address));
  }

  /** The client's address in canonical text, or {@code unknown} when there is none. */
  public String resolve(String remoteHost, MultiMap headers) {
    byte[] direct = bytes(remoteHost);
    if (direct == null) {
      return UNKNOWN;
    }
    if (!trusted(remoteHost)) {
      return text(direct);
    }
    List<String> hops = forwardedFor(headers);
    byte[] client = direct;
    for (int i = hops.size() - 1; i >= 0; i--) {
      byte[] hop = bytes(hops.get(i));
      if (hop == null) {
        break;
      }
      client = hop;
      if (trusted.stream().noneMatch(range -> range.contains(hop))) {
        break;
      }
    }
    return text(client);
  }

  /** The scheme the client used, as a trusted proxy reports it, or the connection's own scheme. */
  public String scheme(String remoteHost, MultiMap headers, String ownScheme) {
    if (!trusted(remoteHost)) {
      return ownScheme;
    }
    String forwarded = headers.get("Forwarded");
    if (forwarded != null) {
      for (String element : lastElement(forwarded).split(";")) {
        String[] pair = element.trim().split("=", 2);
        if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("proto")) {
          return unquote(pair[1]).toLowerCase(Locale.ROOT);
        }
      }
    }
    String proto = headers.get("X-Forwarded-Proto");
    if (proto != null && !proto.isBlank()) {
      String[] parts = proto.split(",");
      return parts[parts.length - 1].trim().toLowerCase(Locale.ROOT);
    }
    return ownScheme;
  }

  /** The key that quotas count by: the address, or its /64 for IPv6. */
  public static String quotaKey(String address) {
    byte[] bytes = bytes(address);
    if (bytes == null || bytes.length == 4) {
      return address;
    }
    byte[] prefix = Arrays.copyOf(bytes, 16);
    Arrays.fill(prefix, 8, 16, (byte) 0);
    return NetUtil.bytesToIpAddress(prefix) + "/64";
  }

  private static List<String> forwardedFor(MultiMap headers) {
    List<String> hops = new ArrayList<>();
    List<String> forwarded = headers.getAll("Forwarded");
    if (!forwarded.isEmpty()) {
      for (String header : forwarded) {
        for (String element : header.split(",")) {
          for (String pair : element.split(";")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("for")) {
              hops.add(forNode(unquote(kv[1])));
            }
          }
        }
      }
      return hops;
    }
    for (String header : headers.getAll("X-Forwarded-For")) {
      for (String hop : header.split(",")) {
        hops.add(hop.trim());
      }
    }
    return hops;
  }

  private static String lastElement(String forwarded) {
    String[] elements = forwarded.split(",");
    return elements[elements.length - 1];
  }

  /** A {@code Forwarded} node: {@code 192.0.2.1}, {@code 192.0.2.1:80} or {@code [2001:db8::1]}. */
  private static String forNode(String node) {
    if (node.startsWith("[")) {
      int end = node.indexOf(']');
      return end > 0 ? node.substring(1, end) : node;
    }
    int colon = node.indexOf(':');
    return colon > 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
  }

  private static String unquote(String value) {
    String v = value.trim();
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
        ? v.substring(1, v.length() - 1)
        : v;
  }

  /** The address as bytes (IPv4-mapped IPv6 as IPv4), or null when it is no IP literal. */
  static byte[] bytes(String address) {
    if (address == null || address.isEmpty()) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      return null;
    }
    if (bytes.length == 16 && isMappedV4(bytes)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  private static boolean isMappedV4(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  private static String text(byte[] bytes) {
    return NetUtil.bytesToIpAddress(bytes);
  }

  /** An address range in CIDR form; a bare address is its own range. */
  private record Range(byte[] network, int bits) {
    static Range parse(String text) {
      String[] parts = text.trim().split("/", 2);
      byte[] network = bytes(parts[0]);
      if (network == null) {
        throw new IllegalArgumentException(text);
      }
      int max = network.length * 8;
      int bits;
      try {
        bits = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(text, e);
      }
      if (bits < 0 || bits > max) {
        throw new IllegalArgumentException(text);
      }
      return new Range(network, bits);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = bits / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }
}
