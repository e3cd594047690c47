package dev.airwave.bus;

import java.util.List;
import java.util.regex.Pattern;

/** Every event-bus address of the service, in one place; see docs/protocol.md. */
public final class Addresses {
  public static final String HELLO = "airwave.hello";
  public static final String LIST = "airwave.channels.list";
  public static final String CREATE = "airwave.channel.create";
  public static final String RESUME = "airwave.channel.resume";
  public static final String JOIN = "airwave.channel.join";
  public static final String LEAVE = "airwave.channel.leave";
  public static final String STOP = "airwave.channel.stop";
  public static final String KEEPALIVE = "airwave.channel.keepalive";
  public static final String NAME = "airwave.profile.name";
  public static final String SIGNAL = "airwave.signal";
  public static final String CHAT = "airwave.chat.send";
  public static final String RELAY_ABLE = "airwave.relay.able";
  public static final String RELAY_STALLED = "airwave.relay.stalled";

  /** Published list of live channels, readable by every socket. */
  public static final String CHANNELS = "airwave.channels";

  /** Internal: sent by the HTTP verticle when a socket closes; never reachable from a browser. */
  public static final String PEER_GONE = "airwave.internal.peer-gone";

  /** Internal: the registry's health and figures, for {@code /health}. */
  public static final String STATUS = "airwave.internal.status";

  /** Internal: each node's owners publish their channels' summaries here for every node's list. */
  public static final String SUMMARIES = "airwave.internal.summaries";

  private static final String OWNER_PREFIX = "airwave.internal.owner.";

  /** Internal: where a node's edges forward requests about the channels that node owns. */
  public static String owner(String nodeId) {
    return OWNER_PREFIX + nodeId;
  }

  /** The requests a browser may send, in the order of docs/protocol.md. */
  public static final List<String> INBOUND =
      List.of(
          HELLO,
          LIST,
          CREATE,
          RESUME,
          JOIN,
          LEAVE,
          STOP,
          KEEPALIVE,
          NAME,
          SIGNAL,
          CHAT,
          RELAY_ABLE,
          RELAY_STALLED);

  private static final String INBOX_PREFIX = "airwave.peer.";

  /** A peer id: 16 random bytes in unpadded base64url. */
  public static final Pattern PEER_ID = Pattern.compile("[A-Za-z0-9_-]{22}");

  /** Matches every peer inbox; the bridge hook narrows it to the socket's own. */
  public static final String INBOX_REGEX = Pattern.quote(INBOX_PREFIX) + PEER_ID.pattern();

  private static final Pattern INBOX = Pattern.compile(INBOX_REGEX);

  private Addresses() {}

  public static String inbox(String peerId) {
    return INBOX_PREFIX + peerId;
  }

  /** Whether the address is some peer's inbox. */
  public static boolean isInbox(String address) {
    return address != null && INBOX.matcher(address).matches();
  }

  /** The header in which the bridge stamps the sending peer's id. */
  public static final String PEER_HEADER = "peer";

  /**
   * The header in which the bridge stamps the sending socket's client address (as quotas count it:
   * an IPv4 address or an IPv6 /64), behind trusted proxies the forwarded one.
   */
  public static final String CLIENT_HEADER = "client";

  /** On a forwarded request: the node whose edge holds the sending socket. */
  public static final String EDGE_HEADER = "edge";

  /** On a forwarded request: the browser's request address it stands for. */
  public static final String OP_HEADER = "op";
}
