package dev.airwave.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A SockJS session over XHR, as sockjs-client opens one where WebSocket is blocked: the server's
 * frames arrive on one long {@code xhr_streaming} response, and each client frame is an {@code
 * xhr_send} request of its own, which only the node holding the session knows. Its calls block the
 * test thread.
 */
public final class XhrSession implements AutoCloseable {
  private static final Duration WAIT = BridgeClient.WAIT;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final int port;
  private final String path;
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final CompletableFuture<Flow.Subscription> stream = new CompletableFuture<>();
  private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  private final List<String> unexpected = new CopyOnWriteArrayList<>();

  private XhrSession(int port, String path) {
    this.port = port;
    this.path = path;
  }

  /** Opens a session with a fresh random id on 127.0.0.1:port and waits for its open frame. */
  public static XhrSession open(int port) {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    String server = "%03d".formatted(RANDOM.nextInt(1000));
    XhrSession session =
        new XhrSession(port, "/eventbus/" + server + "/" + HexFormat.of().formatHex(id));
    CLIENT.sendAsync(
        post(port, session.path + "/xhr_streaming", ""),
        HttpResponse.BodyHandlers.fromLineSubscriber(session.new Lines()));
    try {
      session.opened.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      session.close();
      throw new AssertionError("no open frame within " + WAIT + "; got " + session.unexpected, e);
    }
    return session;
  }

  /** Sends a request through xhr_send and returns the reply's body. */
  public JsonObject request(String address, JsonObject body) {
    String replyAddress = UUID.randomUUID().toString();
    int status = send(BridgeClient.requestFrame(address, body, replyAddress));
    assertEquals(204, status, () -> "xhr_send of " + address + " answered " + status);
    return awaitReply(replyAddress);
  }

  /** Posts a frame of this session through xhr_send; the HTTP status. */
  public int send(JsonObject frame) {
    return sendVia(port, frame);
  }

  /** Posts a frame of this session to another port (a node itself, say); the HTTP status. */
  public int sendVia(int otherPort, JsonObject frame) {
    String body = new JsonArray().add(frame.encode()).encode();
    try {
      return CLIENT
          .send(post(otherPort, path + "/xhr_send", body), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Drops the streaming response, as a page that goes away. */
  @Override
  public void close() {
    stream.thenAccept(Flow.Subscription::cancel);
  }

  private JsonObject awaitReply(String replyAddress) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    try {
      JsonObject message;
      while ((message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS))
          != null) {
        if (replyAddress.equals(message.getString("address"))) {
          if ("err".equals(message.getString("type"))) {
            fail("refused: " + message);
          }
          return message.getJsonObject("body");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return fail("no reply on the xhr_streaming response within " + WAIT + "; " + unexpected);
  }

  private static HttpRequest post(int port, String path, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(WAIT)
        .header("Content-Type", "text/plain;charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private void onLine(String line) {
    if (line.equals("o")) {
      opened.complete(null);
    } else if (line.startsWith("a[")) {
      for (Object text : new JsonArray(line.substring(1))) {
        received.add(new JsonObject((String) text));
      }
    } else if (!line.chars().allMatch(c -> c == 'h')) {
      unexpected.add(line);
    }
  }

  /** The streaming response, line by line (the prelude and heartbeats are lines of {@code h}). */
  private final class Lines implements Flow.Subscriber<String> {
    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      stream.complete(subscription);
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      onLine(line);
    }

    @Override
    public void onError(Throwable error) {
      unexpected.add("stream failed: " + error);
    }

    @Override
    public void onComplete() {
      unexpected.add("stream ended");
    }
  }
}
