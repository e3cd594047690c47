package dev.airwave.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test client that speaks to the bridge as the browser's event-bus client does, over the raw
 * {@code /eventbus/websocket} endpoint with bridge JSON frames. Its calls block the test thread.
 */
public final class BridgeClient implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(5);

  private final WebSocketClient client;
  private final WebSocket socket;
  private final Map<String, CompletableFuture<JsonObject>> replies = new ConcurrentHashMap<>();
  private final BlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonObject> channelUpdates = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonObject> bridgeErrors = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private String peerId;
  private String inboxAddress;

  private BridgeClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.handler(buffer -> onFrame(new JsonObject(buffer.toString())));
    socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
  }

  public static BridgeClient connect(Vertx vertx, int port) {
    return connect(vertx, port, Map.of());
  }

  public static BridgeClient connect(Vertx vertx, int port, String origin) {
    return connect(vertx, port, origin == null ? Map.of() : Map.of("Origin", origin));
  }

  /** Connects with these request headers, e.g. {@code X-Forwarded-For} as a proxy would add. */
  public static BridgeClient connect(Vertx vertx, int port, Map<String, String> headers) {
    return connectFrom(vertx, null, port, headers);
  }

  /**
   * Connects from this local address (another of 127.0.0.0/8, such as 127.0.0.66, to be a client
   * other than the test's own), or from any when null, with these request headers.
   */
  public static BridgeClient connectFrom(
      Vertx vertx, String localAddress, int port, Map<String, String> headers) {
    WebSocketClient client =
        vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(localAddress));
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/eventbus/websocket");
    headers.forEach(options::addHeader);
    return client.connect(options).map(ws -> new BridgeClient(client, ws)).await();
  }

  /** Connects over TLS to a server whose certificate is the given PEM file. */
  public static BridgeClient connectTls(Vertx vertx, int port, Path trustedCert) {
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(trustedCert.toString())));
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setSsl(true)
            .setURI("/eventbus/websocket");
    return client.connect(options).map(ws -> new BridgeClient(client, ws)).await();
  }

  /** Connects, says hello and registers the inbox: a client ready to broadcast or watch. */
  public static BridgeClient ready(Vertx vertx, int port) {
    return ready(vertx, port, Map.of());
  }

  /** A ready client whose connection carries these request headers. */
  public static BridgeClient ready(Vertx vertx, int port, Map<String, String> headers) {
    BridgeClient client = connect(vertx, port, headers);
    client.hello();
    client.register(client.inboxAddress);
    return client;
  }

  public JsonObject hello() {
    JsonObject welcome = request("airwave.hello", new JsonObject());
    peerId = welcome.getString("peerId");
    inboxAddress = welcome.getString("inbox");
    return welcome;
  }

  public String peerId() {
    return peerId;
  }

  public String inbox() {
    return inboxAddress;
  }

  /** Registers an address and waits until the server has processed it (a ping round trip). */
  public void register(String address) {
    sendFrame(new JsonObject().put("type", "register").put("address", address));
    sync();
  }

  /** Sends a request and returns the reply's body; a refusal throws {@link Refused}. */
  public JsonObject request(String address, Object body) {
    return request(address, body, null);
  }

  public JsonObject request(String address, Object body, JsonObject headers) {
    String replyAddress = UUID.randomUUID().toString();
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    replies.put(replyAddress, reply);
    JsonObject frame = requestFrame(address, body, replyAddress);
    if (headers != null) {
      frame.put("headers", headers);
    }
    sendFrame(frame);
    JsonObject answer;
    try {
      answer = reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      replies.remove(replyAddress);
      throw new AssertionError("no reply from " + address + " within " + WAIT, e);
    }
    if ("err".equals(answer.getString("type"))) {
      throw new Refused(answer.getInteger("failureCode"), answer.getString("message"));
    }
    return answer.getJsonObject("body");
  }

  /** A bridge {@code send} frame whose reply comes back to {@code replyAddress}. */
  static JsonObject requestFrame(String address, Object body, String replyAddress) {
    return new JsonObject()
        .put("type", "send")
        .put("address", address)
        .put("body", body)
        .put("replyAddress", replyAddress);
  }

  /** The refusal's wire code (e.g. {@code channel_taken}); fails if the request succeeded. */
  public Refused refusal(String address, Object body) {
    try {
      JsonObject reply = request(address, body);
      return fail("expected a refusal from " + address + " but got " + reply);
    } catch (Refused refused) {
      return refused;
    }
  }

  public void sendFrame(JsonObject frame) {
    sendText(frame.encode());
  }

  public void sendText(String text) {
    socket.writeTextMessage(text).await();
  }

  /** The next inbox message of this type, skipping others of other types. */
  public JsonObject next(String type) {
    return next(inbox, type, WAIT);
  }

  public JsonObject next(String type, Duration wait) {
    return next(inbox, type, wait);
  }

  /** The next inbox message of this type if one arrives within {@code wait}, else null. */
  public JsonObject poll(String type, Duration wait) {
    return poll(inbox, type, wait);
  }

  /** Asserts that no inbox message of this type arrives within a short while. */
  public void expectNo(String type, Duration wait) {
    JsonObject found = poll(inbox, type, wait);
    if (found != null) {
      fail("unexpected " + type + ": " + found);
    }
  }

  public JsonObject nextChannelUpdate() {
    return next(channelUpdates, null, WAIT);
  }

  /** The next bridge-level error body, such as {@code access_denied}. */
  public String nextBridgeError() {
    JsonObject error = next(bridgeErrors, null, WAIT);
    return error.getString("body");
  }

  /** Waits for a ping to be answered by the server's bridge: every earlier frame is handled. */
  public void sync() {
    JsonObject reply = request("airwave.channels.list", new JsonObject());
    assertNotNull(reply);
  }

  public void clearInbox() {
    inbox.clear();
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  public short awaitClose() {
    return awaitClose(WAIT);
  }

  public short awaitClose(Duration wait) {
    try {
      return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("socket did not close within " + wait, e);
    }
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.close().await();
    }
    client.close().await();
  }

  private void onFrame(JsonObject frame) {
    String address = frame.getString("address");
    CompletableFuture<JsonObject> reply = address == null ? null : replies.remove(address);
    if (reply != null) {
      reply.complete(frame);
    } else if (address == null && "err".equals(frame.getString("type"))) {
      offer(bridgeErrors, frame);
    } else if ("airwave.channels".equals(address)) {
      offer(channelUpdates, frame.getJsonObject("body"));
    } else {
      offer(inbox, frame.getJsonObject("body"));
    }
  }

  private static JsonObject next(BlockingQueue<JsonObject> queue, String type, Duration wait) {
    JsonObject found = poll(queue, type, wait);
    if (found == null) {
      fail("no " + (type == null ? "message" : type) + " within " + wait);
    }
    return found;
  }

  /** Takes the first queued message of this type, leaving the others queued in order. */
  private static JsonObject poll(BlockingQueue<JsonObject> queue, String type, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (queue) {
      while (true) {
        for (Iterator<JsonObject> it = queue.iterator(); it.hasNext(); ) {
          JsonObject message = it.next();
          if (type == null || type.equals(message.getString("type"))) {
            it.remove();
            return message;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(queue, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  private static void offer(BlockingQueue<JsonObject> queue, JsonObject message) {
    synchronized (queue) {
      queue.add(message);
      queue.notifyAll();
    }
  }

  /** A request refused by the server, with its status and wire code. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(Integer status, String message) {
      super(message, null, false, false);
      this.status = status == null ? -1 : status;
    }

    public int status() {
      return status;
    }

    public String code() {
      String message = getMessage();
      int colon = message == null ? -1 : message.indexOf(':');
      return colon < 0 ? String.valueOf(message) : message.substring(0, colon);
    }

    public void assertCode(String expected) {
      assertEquals(expected, code(), () -> "refusal was: " + getMessage());
    }
  }
}
