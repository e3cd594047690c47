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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a few short broadcasts against the node's own bridge over loopback before it reports ready,
 * so that the JIT has compiled the bridge, the screening and the registry before a crowd arrives: a
 * cold JVM spends most of a join storm compiling (docs/benchmarks.md). Each round is a broadcaster
 * and four viewers on fresh sockets: hello, create, join, offer, answer, candidates, chat, leave,
 * stop, as browsers do.
 */
final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  private static final int VIEWERS = 4;
  private static final int SIGNALS = 6;

  /**
   * Rounds take turns over this many groups of sockets, so that each broadcaster stays within its
   * rate budgets while the sockets of a few rounds are open at once, well within the per-address
   * quotas (a closing socket holds its place a little while).
   */
  private static final int GROUPS = 8;

  private static final long GIVE_UP_MS = 5000;

  /** Requests of the host in one round (create, stop); its viewers are fresh every round. */
  private static final int HOST_REQUESTS = 2;

  /** Signals the host sends in one round: an offer and the candidates to each viewer. */
  private static final int HOST_SIGNALS = VIEWERS * (1 + SIGNALS);

  private final Vertx vertx;
  private final WebSocketClient client;
  private final int port;

  /**
   * The least time between two rounds of one group, so that no socket spends its rate budgets
   * faster than they refill: a fast machine plays rounds quicker than the budgets allow, and a
   * refused request would end the warm-up (the bursts are left for the first rounds).
   */
  private final long spacingNanos;

  private final long[] lastStart = new long[GROUPS];
  private int sequence;

  private Warmup(Vertx vertx, int port, boolean tls, AppConfig config) {
    this.vertx = vertx;
    this.port = port;
    double seconds =
        Math.max(
            HOST_REQUESTS / config.requestPerSecond(),
            (double) HOST_SIGNALS / config.signalPerSecond());
    // a little over, as the budgets count whole milliseconds of wall-clock time
    this.spacingNanos = (long) Math.ceil(seconds * 1.02e9) + TimeUnit.MILLISECONDS.toNanos(5);
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                // a closed socket lets go of its connection at once instead of waiting for the
                // server to end it, so that sockets coming and going stay within the per-address
                // connection quota
                .setClosingTimeout(0)
                .setSsl(tls)
                // the node's own certificate, reached on loopback only
                .setTrustAll(tls)
                .setVerifyHost(false));
  }

  /** Plays rounds for about {@code millis}; never fails (a warm-up that breaks is skipped). */
  static Future<Void> run(Vertx vertx, int port, boolean tls, AppConfig config) {
    long millis = config.warmupMs();
    if (millis <= 0) {
      return Future.succeededFuture();
    }
    Warmup warmup = new Warmup(vertx, port, tls, config);
    long started = System.nanoTime();
    long deadline = started + millis * 1_000_000L;
    return warmup
        .rounds(deadline)
        // a warm-up that hangs must not keep the node from ever being ready
        .timeout(millis + GIVE_UP_MS, TimeUnit.MILLISECONDS)
        .transform(
            done -> {
              long took = (System.nanoTime() - started) / 1_000_000;
              if (done.succeeded()) {
                LOG.info("warmed up: {} rounds in {} ms", done.result(), took);
              } else {
                LOG.warn("warm-up stopped after {} ms: {}", took, done.cause().toString());
              }
              return warmup.client.close();
            });
  }

  /** Opens the groups of sockets, plays rounds on them in turn until the deadline, closes them. */
  private Future<Integer> rounds(long deadline) {
    List<Future<Socket>> opening = new ArrayList<>();
    for (int i = 0; i < GROUPS * (VIEWERS + 1); i++) {
      opening.add(open());
    }
    return Future.all(opening)
        .compose(
            opened -> {
              List<Socket> sockets = new ArrayList<>(opening.stream().map(Future::result).toList());
              return rounds(sockets, deadline, 0)
                  .eventually(() -> Future.all(sockets.stream().map(Socket::close).toList()));
            });
  }

  private Future<Integer> rounds(List<Socket> sockets, long deadline, int done) {
    if (System.nanoTime() >= deadline) {
      return Future.succeededFuture(done);
    }
    int group = done % GROUPS;
    long wait = lastStart[group] + spacingNanos - System.nanoTime();
    if (done >= GROUPS && wait > 0) {
      return pause(wait).compose(v -> rounds(sockets, deadline, done));
    }
    lastStart[group] = System.nanoTime();
    int first = group * (VIEWERS + 1);
    Socket host = sockets.get(first);
    List<Socket> viewers = List.copyOf(sockets.subList(first + 1, first + 1 + VIEWERS));
    return play("warmup-" + done, host, viewers)
        .compose(v -> replace(sockets, first + 1, viewers))
        .compose(v -> rounds(sockets, deadline, done + 1));
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
              for (int i = 0; i < viewers.size(); i++) {
                opening.add(open());
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
        .put(
            "description",
            new JsonObject().put("type", type).put("sdp", "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n"));
  }

  private static JsonObject candidate(String to, int index) {
    return new JsonObject()
        .put("to", to)
        .put("type", "ice")
        .put(
            "candidate",
            new JsonObject()
                .put("candidate", "candidate:" + index + " 1 udp 2122260223 127.0.0.1 9 typ host")
                .put("sdpMid", "0")
                .put("sdpMLineIndex", 0));
  }

  /** Opens a bridge socket, says hello and registers its inbox. */
  private Future<Socket> open() {
    return client
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
