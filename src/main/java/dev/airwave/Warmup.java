package dev.airwave;

import dev.airwave.bus.Addresses;
import dev.airwave.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays short broadcasts against the node's own bridge over loopback before its main port opens, so
 * that the JIT has compiled the bridge, the screening and the registry before a crowd arrives: a
 * cold JVM spends most of a join storm compiling (docs/benchmarks.md). Each round is a broadcaster
 * and its viewers on fresh sockets: hello, create, join, a browser-sized offer and answer,
 * candidates, chat, list, leave, stop, as browsers do; 24 such channels at once, spread over
 * loopback addresses so that every address stays within its quotas (from 127.0.0.1 alone, one small
 * channel at a time, where loopback has one address or the settings leave no room).
 */
final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  private static final int SIGNALS = 6;

  /**
   * How the rounds are played: {@code groups} broadcasters with {@code viewers} each, the groups
   * taking turns over {@code lanes} rounds played at once; {@code spread} over many loopback
   * addresses (127.0.1.g for the broadcaster of group g, 127.0.2.v for every group's viewer v), so
   * that each address stays within the per-address quotas however large the crowd.
   */
  record Shape(int groups, int viewers, int lanes, boolean spread) {
    /**
     * One round at a time from 127.0.0.1, taking turns over 8 groups of 4 so that each broadcaster
     * stays within its rate budgets and the sockets stay well within the per-address quotas (a
     * closing socket holds its place a little while): where loopback is one address only.
     */
    static final Shape ONE_ADDRESS = new Shape(8, 4, 1, false);

    /**
     * A crowd: 24 channels of 16 viewers at once, as many sockets open as a small join storm holds,
     * each address holding one channel, one place in each channel and 24 sockets.
     */
    static final Shape CROWD = new Shape(24, 16, 24, true);

    /**
     * This shape if the node's caps and quotas leave room for it and loopback has the addresses it
     * spreads over (Linux: all of 127/8), else {@link #ONE_ADDRESS}.
     */
    Shape fitting(AppConfig config) {
      boolean fits =
          !spread
              || loopbackSpreads()
                  && config.maxChannels() >= 2 * groups
                  && config.maxViewersPerChannel() >= viewers
                  && config.maxSocketsPerAddress() >= 2 * groups
                  && config.maxConnectionsPerAddress() >= 2 * groups
                  // a broadcaster's first round, an offer and candidates to each viewer at once
                  && config.signalBurst() >= viewers * (1 + SIGNALS);
      return fits ? this : ONE_ADDRESS;
    }

    /** Whether a socket can be bound to 127.0.1.1 (a bind on loopback, nothing sent). */
    private static boolean loopbackSpreads() {
      try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.1.1", 0))) {
        return probe.isBound();
      } catch (IOException alone) {
        LOG.info("warming up from 127.0.0.1 only: {}", alone.toString());
        return false;
      }
    }

    /** The local address of the socket in this place of this group (0: the broadcaster). */
    String localAddress(int group, int place) {
      if (!spread) {
        return null;
      }
      return place == 0 ? "127.0.1." + (group + 1) : "127.0.2." + place;
    }
  }

  private static final long GIVE_UP_MS = 15_000;

  /** Requests of the host in one round (create, stop); its viewers are fresh every round. */
  private static final int HOST_REQUESTS = 2;

  private final Vertx vertx;
  private final WebSocketClientOptions clientOptions;
  private final Map<String, WebSocketClient> clients = new HashMap<>();
  private final int port;

  /**
   * The least time between two rounds of one group, so that no socket spends its rate budgets
   * faster than they refill: a fast machine plays rounds quicker than the budgets allow, and a
   * refused request would end the warm-up (the bursts are left for the first rounds).
   */
  private final long spacingNanos;

  private final Shape shape;
  private final long[] lastStart;
  private int sequence;
  private int rounds;

  private Warmup(Vertx vertx, int port, boolean tls, AppConfig config, Shape shape) {
    this.vertx = vertx;
    this.port = port;
    this.shape = shape;
    this.lastStart = new long[shape.groups()];
    // the host sends an offer and the candidates to each viewer in a round
    int hostSignals = shape.viewers() * (1 + SIGNALS);
    double seconds =
        Math.max(
            HOST_REQUESTS / config.requestPerSecond(),
            (double) hostSignals / config.signalPerSecond());
    // a little over, as the budgets count whole milliseconds of wall-clock time
    this.spacingNanos = (long) Math.ceil(seconds * 1.02e9) + TimeUnit.MILLISECONDS.toNanos(5);
    this.clientOptions =
        new WebSocketClientOptions()
            // a closed socket lets go of its connection at once instead of waiting for the
            // server to end it, so that sockets coming and going stay within the per-address
            // connection quota
            .setClosingTimeout(0)
            // every socket of every group open at once, and a round's fresh viewers besides
            .setMaxConnections(2 * shape.groups() * (shape.viewers() + 1))
            .setSsl(tls)
            // the node's own certificate, reached on loopback only
            .setTrustAll(tls)
            .setVerifyHost(false);
  }

  /** The client whose sockets come from this local address (null: the system's choice). */
  private WebSocketClient client(String localAddress) {
    return clients.computeIfAbsent(
        String.valueOf(localAddress),
        key ->
            vertx.createWebSocketClient(
                new WebSocketClientOptions(clientOptions).setLocalAddress(localAddress)));
  }

  private Future<Void> closeClients() {
    return Future.all(clients.values().stream().map(WebSocketClient::close).toList()).mapEmpty();
  }

  /** Plays rounds for about {@code millis}; never fails (a warm-up that breaks is skipped). */
  static Future<Void> run(Vertx vertx, int port, boolean tls, AppConfig config) {
    long millis = config.warmupMs();
    if (millis <= 0) {
      return Future.succeededFuture();
    }
    Warmup warmup = new Warmup(vertx, port, tls, config, Shape.CROWD.fitting(config));
    long started = System.nanoTime();
    long deadline = started + millis * 1_000_000L;
    return warmup
        .rounds(deadline)
        .map(played -> played + " rounds of " + warmup.shape)
        // a warm-up that hangs must not keep the node from ever being ready
        .timeout(millis + GIVE_UP_MS, TimeUnit.MILLISECONDS)
        .transform(
            done -> {
              long took = (System.nanoTime() - started) / 1_000_000;
              if (done.succeeded()) {
                LOG.info("warmed up: {} in {} ms", done.result(), took);
              } else {
                LOG.warn("warm-up stopped after {} ms: {}", took, done.cause().toString());
              }
              // closing the clients closes whatever sockets a stopped warm-up left open
              return warmup.closeClients();
            });
  }

  /**
   * Opens the groups of sockets, plays rounds on them until the deadline (each lane taking turns
   * over its groups), closes them; the number of rounds played.
   */
  private Future<Integer> rounds(long deadline) {
    int size = shape.viewers() + 1;
    List<Future<Socket>> opening = new ArrayList<>();
    for (int i = 0; i < shape.groups() * size; i++) {
      opening.add(open(i / size, i % size));
    }
    return Future.all(opening)
        .compose(
            opened -> {
              List<Socket> sockets = new ArrayList<>(opening.stream().map(Future::result).toList());
              List<Future<Void>> lanes = new ArrayList<>();
              for (int lane = 0; lane < shape.lanes(); lane++) {
                lanes.add(lane(sockets, deadline, lane, 0));
              }
              return Future.all(lanes)
                  .eventually(() -> Future.all(sockets.stream().map(Socket::close).toList()))
                  .map(played -> rounds);
            });
  }

  /** The {@code turn}th round of one lane, and the lane's rounds after it. */
  private Future<Void> lane(List<Socket> sockets, long deadline, int lane, int turn) {
    if (System.nanoTime() >= deadline) {
      return Future.succeededFuture();
    }
    int perLane = Math.max(1, shape.groups() / shape.lanes());
    int group = lane + (turn % perLane) * shape.lanes();
    long wait = lastStart[group] + spacingNanos - System.nanoTime();
    if (lastStart[group] != 0 && wait > 0) {
      return pause(wait).compose(v -> lane(sockets, deadline, lane, turn));
    }
    lastStart[group] = System.nanoTime();
    int first = group * (shape.viewers() + 1);
    Socket host = sockets.get(first);
    List<Socket> viewers = List.copyOf(sockets.subList(first + 1, first + 1 + shape.viewers()));
    return play("warmup-" + (sequence++), host, viewers)
        .compose(v -> replace(sockets, first + 1, viewers))
        .compose(
            v -> {
              rounds++;
              return lane(sockets, deadline, lane, turn + 1);
            });
  }

  /**
   * Closes a round's viewers and opens fresh ones in their places, as a crowd's sockets come and
   * go: the handshake and the goodbye run as often as the signaling (and a fresh socket brings
   * fresh budgets, so viewers chat in every round).
   */
  private Future<Void> replace(List<Socket> sockets, int from, List<Socket> viewers) {
    return Future.all(viewers.stream().map(Socket::close).toList())
        .compose(
            closed -> {
              List<Future<Socket>> opening = new ArrayList<>();
              int size = shape.viewers() + 1;
              for (int i = 0; i < viewers.size(); i++) {
                opening.add(open((from + i) / size, (from + i) % size));
              }
              return Future.all(opening)
                  .map(
                      opened -> {
                        for (int i = 0; i < opening.size(); i++) {
                          sockets.set(from + i, opening.get(i).result());
                        }
                        return null;
                      });
            });
  }

  private Future<Void> pause(long nanos) {
    Promise<Void> paused = Promise.promise();
    vertx.setTimer(Math.max(1, (nanos + 999_999) / 1_000_000), id -> paused.complete());
    return paused.future();
  }

  private Future<Void> play(String channel, Socket host, List<Socket> viewers) {
    Future<JsonObject> live =
        host.request(Addresses.CREATE, new JsonObject().put("id", channel).put("title", "warm"));
    for (Socket viewer : viewers) {
      live =
          live.compose(
              created ->
                  viewer.request(
                      Addresses.JOIN,
                      new JsonObject().put("id", channel).put("name", "w" + viewer.peer)));
    }
    return live.compose(
            joined -> {
              List<Future<JsonObject>> signals = new ArrayList<>();
              for (Socket viewer : viewers) {
                signals.add(host.request(Addresses.SIGNAL, offer(viewer.peer)));
                signals.add(viewer.request(Addresses.SIGNAL, answer(host.peer)));
                for (int i = 0; i < SIGNALS; i++) {
                  signals.add(viewer.request(Addresses.SIGNAL, candidate(host.peer, i)));
                  signals.add(host.request(Addresses.SIGNAL, candidate(viewer.peer, i)));
                }
                signals.add(viewer.request(Addresses.CHAT, new JsonObject().put("text", "hi")));
                signals.add(viewer.request(Addresses.LIST, new JsonObject()));
              }
              return Future.all(signals);
            })
        .compose(
            signalled ->
                Future.all(
                    viewers.stream()
                        .map(viewer -> viewer.request(Addresses.LEAVE, new JsonObject()))
                        .toList()))
        .compose(left -> host.request(Addresses.STOP, new JsonObject().put("id", channel)))
        .mapEmpty();
  }

  private static JsonObject offer(String to) {
    return description(to, "offer");
  }

  private static JsonObject answer(String to) {
    return description(to, "answer");
  }

  private static JsonObject description(String to, String type) {
    return new JsonObject()
        .put("to", to)
        .put("type", type)
        .put("description", new JsonObject().put("type", type).put("sdp", SDP));
  }

  /**
   * A session description of a browser's size and shape (about 4 kB: an audio and a video section
   * with their codecs and sources), so that the long-string paths of the frame screen, the JSON
   * codecs and the WebSocket framing warm up as a real offer exercises them.
   */
  private static final String SDP = sessionDescription();

  private static String sessionDescription() {
    StringBuilder sdp =
        new StringBuilder(
            "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS warmup\r\n");
    String[] kinds = {"audio", "video"};
    for (int section = 0; section < kinds.length; section++) {
      sdp.append("m=")
          .append(kinds[section])
          .append(" 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101 102\r\n")
          .append("c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n")
          .append("a=ice-ufrag:wArM\r\na=ice-pwd:warmupwarmupwarmupwarmup\r\n")
          .append("a=fingerprint:sha-256 ")
          .append("5A:".repeat(31))
          .append("5A\r\na=setup:actpass\r\na=mid:")
          .append(section)
          .append("\r\na=sendrecv\r\na=rtcp-mux\r\n");
      for (int payload = 96; payload <= 102; payload++) {
        sdp.append("a=rtpmap:")
            .append(payload)
            .append(section == 0 ? " opus/48000/2\r\n" : " VP8/90000\r\n")
            .append("a=rtcp-fb:")
            .append(payload)
            .append(" nack pli\r\na=fmtp:")
            .append(payload)
            .append(" minptime=10;useinbandfec=1\r\n");
      }
      for (int source = 0; source < 12; source++) {
        sdp.append("a=ssrc:")
            .append(1_000_000 + section * 100 + source)
            .append(" cname:warmup")
            .append(source)
            .append("\r\n");
      }
    }
    return sdp.toString();
  }

  private static JsonObject candidate(String to, int index) {
    return new JsonObject()
        .put("to", to)
        .put("type", "ice")
        .put(
            "candidate",
            new JsonObject()
                .put(
                    "candidate",
                    "candidate:"
                        + (842163049 + index)
                        + " 1 udp 1677729535 127.0.0.1 "
                        + (50000 + index)
                        + " typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag wArM network-cost 999")
                .put("sdpMid", "0")
                .put("sdpMLineIndex", 0));
  }

  /** Opens the bridge socket of this place of this group, says hello and registers its inbox. */
  private Future<Socket> open(int group, int place) {
    return client(shape.localAddress(group, place))
        .connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/eventbus/websocket"))
        .compose(
            webSocket -> {
              Socket socket = new Socket(webSocket);
              return socket
                  .request(Addresses.HELLO, new JsonObject())
                  .map(
                      hello -> {
                        socket.peer = hello.getString("peerId");
                        socket.send(
                            new JsonObject()
                                .put("type", "register")
                                .put("address", hello.getString("inbox")));
                        return socket;
                      });
            });
  }

  /** One bridge socket: requests with reply addresses, inbox messages read and dropped. */
  private final class Socket {
    private final WebSocket webSocket;
    private final Map<String, Promise<JsonObject>> pending = new HashMap<>();
    String peer;

    Socket(WebSocket webSocket) {
      this.webSocket = webSocket;
      webSocket.handler(buffer -> onFrame(buffer.toString()));
      webSocket.closeHandler(
          v -> pending.values().forEach(reply -> reply.tryFail("the warm-up socket closed")));
    }

    Future<JsonObject> request(String address, JsonObject body) {
      String replyAddress = "warmup." + (++sequence);
      Promise<JsonObject> reply = Promise.promise();
      pending.put(replyAddress, reply);
      send(
          new JsonObject()
              .put("type", "send")
              .put("address", address)
              .put("body", body)
              .put("replyAddress", replyAddress));
      return reply.future();
    }

    void send(JsonObject frame) {
      webSocket.writeTextMessage(frame.encode());
    }

    private void onFrame(String text) {
      JsonObject frame = new JsonObject(text);
      Promise<JsonObject> reply = pending.remove(frame.getString("address", ""));
      if (reply == null) {
        return;
      }
      if ("err".equals(frame.getString("type"))) {
        reply.tryFail(frame.getString("message", "refused"));
      } else {
        reply.tryComplete(frame.getJsonObject("body"));
      }
    }

    Future<Void> close() {
      return webSocket.close();
    }
  }
}
