package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.config.AppConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Creating, listing and shutting down channels")
class RegistryTest {
  static final String HOST = "9JG_-Rt7xm_wrIU7akFnHw";
  static final String RIVAL = "Z0g3PSY388d-5F1vMXBzWg";
  static final String ANN = "gJNoVRW0-dFwc3O7fXW4UA";
  static final String BOB = "qFBnmkOfYFQ5kA5LIfQDjg";
  static final String CY = "ORk9DrXiyaWM3JuYtQ6bAQ";
  static final String DEE = "4-2o5V8vunL0VQ8YXv_-PQ";
  static final String STRANGER = "tNg52ZUwKnVPRuygsbYJpw";
  static final long START = 1_764_090_000_000L;

  private final Harness h = new Harness();

  @Test
  @DisplayName("hello tells a peer its id, its inbox, the keep-alive interval and the limits")
  void helloDescribesTheService() {
    Harness stun =
        new Harness(
            new JsonObject()
                .put(
                    "iceServers",
                    new JsonArray().add(new JsonObject().put("urls", "stun:stun.example.org"))));
    JsonObject hello = stun.registry.hello(ANN);
    assertEquals(ANN, hello.getString("peerId"));
    assertEquals("airwave.peer." + ANN, hello.getString("inbox"));
    assertEquals(60_000L, hello.getLong("keepaliveMs"));
    assertEquals(
        "stun:stun.example.org",
        hello.getJsonArray("iceServers").getJsonObject(0).getString("urls"));
    JsonObject limits = hello.getJsonObject("limits");
    assertEquals(500, limits.getInteger("chatMaxChars"));
    assertEquals(32, limits.getInteger("nameMaxChars"));
    assertEquals(80, limits.getInteger("titleMaxChars"));
    assertEquals(32768, limits.getInteger("maxSdpBytes"));
    assertEquals(1024, limits.getInteger("maxCandidateBytes"));
    assertEquals(25, limits.getInteger("maxViewersPerChannel"));
    assertEquals(30, limits.getInteger("graceSeconds"));
  }

  @Test
  @DisplayName("hello tells pages to install their test hook only when pageDebug is on")
  void helloSaysDebugOnlyWhenAsked() {
    assertFalse(h.registry.hello(ANN).containsKey("debug"));
    Harness debug = new Harness(new JsonObject().put("pageDebug", true));
    assertEquals(true, debug.registry.hello(ANN).getValue("debug"));
  }

  @Test
  @DisplayName("create with a chosen id starts a live channel and lists it")
  void createWithChosenId() {
    JsonObject reply =
        h.create(HOST, new JsonObject().put("id", "demo").put("title", "  Demo night  "));
    JsonObject channel = reply.getJsonObject("channel");
    assertEquals(
        new JsonObject()
            .put("id", "demo")
            .put("title", "Demo night")
            .put("maxViewers", 25)
            .put("viewers", 0)
            .put("startedAt", START)
            .put("live", true)
            .put("relay", false),
        channel);
    assertEquals(32, reply.getString("resumeToken").length());
    assertEquals("Broadcaster", reply.getString("name"));
    assertEquals(new JsonArray(), reply.getJsonArray("viewers"));
    assertEquals(new JsonArray().add(channel), h.list(STRANGER).getJsonArray("channels"));
  }

  @Test
  @DisplayName("create without an id broadcasts under a fresh 8-character id")
  void createWithGeneratedId() {
    String id = h.create(HOST, new JsonObject()).getJsonObject("channel").getString("id");
    assertTrue(id.matches("[A-Za-z0-9_-]{8}"), id);
    assertEquals(List.of(id), h.listedIds());
  }

  @Test
  @DisplayName("a generated id never lands on a channel that is live or has viewers waiting")
  void generatedIdSkipsIdsInUse() {
    h.broadcast(HOST, "AbCd1234");
    h.watch(ANN, "WaIt5678", "Ann");
    h.channelIds.add("AbCd1234");
    h.channelIds.add("WaIt5678");
    h.channelIds.add("Fr3sh-_9");
    JsonObject reply = h.create(RIVAL, new JsonObject());
    assertEquals("Fr3sh-_9", reply.getJsonObject("channel").getString("id"));
    assertTrue(h.mail(ANN, "channel-live").isEmpty());
  }

  @Test
  @DisplayName("create refuses an id that is already live, and the first channel keeps it")
  void createRefusesTakenId() {
    h.broadcast(HOST, "demo");
    refused(ErrorCode.CHANNEL_TAKEN, () -> h.broadcast(RIVAL, "demo"));
    assertEquals(List.of("demo"), h.listedIds());
    assertDoesNotThrow(() -> h.keepalive(HOST));
    assertDoesNotThrow(() -> h.broadcast(RIVAL, "demo2"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "two words", "demo!", "démo", "a/b", "abcdefghijklmnopqrstu"})
  @DisplayName("create refuses an id outside 1-20 letters, digits, '-' and '_'")
  void createRefusesInvalidId(String id) {
    refused(ErrorCode.INVALID_ID, () -> h.broadcast(HOST, id));
    assertEquals(List.of(), h.listedIds());
    assertDoesNotThrow(() -> h.broadcast(HOST, "abcdefghij-_KLMNOPQ9"));
  }

  @Test
  @DisplayName("create refuses a title or a name that is too long or holds control characters")
  void createRefusesInvalidTitleAndName() {
    refused(
        ErrorCode.INVALID_TITLE,
        () -> h.create(HOST, new JsonObject().put("id", "demo").put("title", "x".repeat(81))));
    refused(
        ErrorCode.INVALID_TITLE,
        () -> h.create(HOST, new JsonObject().put("id", "demo").put("title", "a\u0007b")));
    refused(
        ErrorCode.INVALID_NAME,
        () -> h.create(HOST, new JsonObject().put("id", "demo").put("name", "   ")));
    refused(
        ErrorCode.INVALID_NAME,
        () -> h.create(HOST, new JsonObject().put("id", "demo").put("name", "n".repeat(33))));
    JsonObject reply =
        h.create(
            HOST,
            new JsonObject().put("id", "demo").put("title", "t".repeat(80)).put("name", "Kim"));
    assertEquals("Kim", reply.getString("name"));
  }

  @Test
  @DisplayName("a peer broadcasts or watches one channel at a time")
  void onePeerOneChannel() {
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    refused(ErrorCode.ALREADY_IN_CHANNEL, () -> h.broadcast(HOST, "second"));
    refused(ErrorCode.ALREADY_IN_CHANNEL, () -> h.broadcast(ANN, "second"));
    assertEquals(List.of("demo"), h.listedIds());
    h.stop(HOST, "demo");
    assertDoesNotThrow(() -> h.broadcast(HOST, "second"));
    assertDoesNotThrow(() -> h.broadcast(ANN, "third"));
  }

  @Test
  @DisplayName("the channel cap refuses the next create and never evicts a live channel")
  void channelCapRefusesWithoutEvicting() {
    Harness capped = new Harness(new JsonObject().put("maxChannels", 2));
    capped.broadcast(HOST, "one");
    capped.now += 1;
    capped.broadcast(RIVAL, "two");
    capped.now += 1;
    refused(ErrorCode.CHANNELS_FULL, () -> capped.broadcast(ANN, "three"));
    assertEquals(List.of("two", "one"), capped.listedIds());
    assertTrue(
        capped.registry.channels().stream().allMatch(c -> ((JsonObject) c).getBoolean("live")));
    assertTrue(capped.mail(HOST, "channel-ended").isEmpty());
    assertTrue(capped.mail(RIVAL, "channel-ended").isEmpty());
    capped.stop(HOST, "one");
    assertDoesNotThrow(() -> capped.broadcast(ANN, "three"));
  }

  @Test
  @DisplayName("a create refused by the cap leaves the viewers waiting for that id waiting")
  void refusedCreateKeepsViewersWaiting() {
    Harness capped = new Harness(new JsonObject().put("maxChannels", 1));
    capped.broadcast(HOST, "one");
    capped.watch(ANN, "two", "Ann");
    refused(ErrorCode.CHANNELS_FULL, () -> capped.broadcast(RIVAL, "two"));
    assertEquals("waiting", capped.watch(BOB, "two", "Bob").getString("status"));
    assertTrue(capped.mail(ANN).isEmpty());
    assertTrue(capped.mail(RIVAL).isEmpty());
    refused(ErrorCode.NOT_MEMBER, () -> capped.chat(ANN, "hello?"));

    capped.stop(HOST, "one");
    JsonObject reply = capped.broadcast(RIVAL, "two");
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("peerId", ANN).put("name", "Ann"))
            .add(new JsonObject().put("peerId", BOB).put("name", "Bob")),
        reply.getJsonArray("viewers"));
    assertEquals(1, capped.mail(ANN, "channel-live").size());
    assertEquals(2, capped.mail(RIVAL, "viewer-joined").size());
  }

  @Test
  @DisplayName("the list shows live channels newest first and refuses fields it does not know")
  void listNewestFirst() {
    h.broadcast(HOST, "older");
    h.now += 1_000;
    h.broadcast(RIVAL, "newer");
    h.watch(ANN, "nobody-yet", "Ann");
    assertEquals(List.of("newer", "older"), h.listedIds());
    refused(ErrorCode.BAD_REQUEST, () -> h.registry.list(STRANGER, new JsonObject().put("x", 1)));
  }

  @Test
  @DisplayName(
      "a body that is not an object, has an unknown field or a wrong type is a bad request")
  void badBodies() {
    refused(ErrorCode.BAD_REQUEST, () -> h.registry.create(HOST, "demo"));
    refused(ErrorCode.BAD_REQUEST, () -> h.registry.create(HOST, new JsonArray().add("demo")));
    refused(
        ErrorCode.BAD_REQUEST,
        () -> h.create(HOST, new JsonObject().put("id", "demo").put("owner", ANN)));
    refused(ErrorCode.BAD_REQUEST, () -> h.create(HOST, new JsonObject().put("id", 42)));
    refused(ErrorCode.BAD_REQUEST, () -> h.join(ANN, new JsonObject()));
    assertEquals(List.of(), h.listedIds());
  }

  @Test
  @DisplayName("every request draws on the peer's request budget, which refills with time")
  void requestRateLimit() {
    Harness tight =
        new Harness(new JsonObject().put("requestBurst", 3).put("requestPerSecond", 1.0));
    for (int i = 0; i < 3; i++) {
      tight.list(STRANGER);
    }
    refused(ErrorCode.RATE_LIMITED, () -> tight.list(STRANGER));
    assertDoesNotThrow(() -> tight.list(ANN));
    tight.now += 1_000;
    assertDoesNotThrow(() -> tight.list(STRANGER));
    refused(ErrorCode.RATE_LIMITED, () -> tight.list(STRANGER));
  }

  @Test
  @DisplayName("shutdown tells every broadcaster, viewer and waiting viewer the channel ended")
  void shutdownEndsEverything() {
    h.broadcast(HOST, "demo");
    h.watch(ANN, "demo", "Ann");
    h.watch(BOB, "later", "Bob");
    h.broadcast(RIVAL, "other");
    h.registry.shutdown();
    for (String peer : List.of(HOST, ANN, BOB, RIVAL)) {
      JsonObject ended = h.only(peer, "channel-ended");
      assertEquals("shutdown", ended.getString("reason"), peer);
    }
    assertEquals("later", h.only(BOB, "channel-ended").getString("channel"));
    assertEquals(List.of(), h.listedIds());
  }

  static void refused(ErrorCode code, Executable request) {
    ProtocolException e = assertThrows(ProtocolException.class, request);
    assertEquals(code, e.code(), e.getMessage());
    assertFalse(e.getMessage().isBlank());
    assertNotEquals(0, e.code().status());
  }

  /** One scheduled one-shot timer of the fake {@link Timers}. */
  record Scheduled(long delayMs, Runnable task) {}

  /**
   * A registry on a fake clock. It is its own mailer (recording every message), timers (holding
   * tasks until a test runs them) and id source (deterministic), and like the verticle it settles
   * expired channels after every request.
   */
  static final class Harness implements Mailer, Timers, Ids {
    long now = START;
    int changes;
    final List<Map.Entry<String, JsonObject>> sent = new ArrayList<>();
    final Map<Long, Scheduled> timers = new LinkedHashMap<>();
    final Deque<String> channelIds = new ArrayDeque<>();
    final AppConfig config;
    final Registry registry;
    private long timerCount;
    private int idCount;
    private int tokenCount;

    Harness() {
      this(new JsonObject());
    }

    Harness(JsonObject overrides) {
      config = AppConfig.fromJson(overrides);
      ChannelStore store =
          new LocalChannelStore(Duration.ofSeconds(config.idleTimeoutSeconds()), () -> now);
      registry = new Registry(config, store, this, this, this, () -> now);
    }

    @Override
    public void send(String peerId, JsonObject message) {
      sent.add(Map.entry(peerId, message));
    }

    @Override
    public void changed() {
      changes++;
    }

    @Override
    public long schedule(long delayMs, Runnable task) {
      timers.put(++timerCount, new Scheduled(delayMs, task));
      return timerCount;
    }

    @Override
    public void cancel(long timer) {
      timers.remove(timer);
    }

    @Override
    public String channelId() {
      return channelIds.isEmpty() ? String.format("Gen%05d", ++idCount) : channelIds.poll();
    }

    @Override
    public String resumeToken() {
      return String.format("ResumeToken%021d", ++tokenCount);
    }

    JsonObject create(String peer, JsonObject body) {
      return settled(() -> registry.create(peer, body));
    }

    JsonObject broadcast(String peer, String id) {
      return create(peer, new JsonObject().put("id", id));
    }

    JsonObject resume(String peer, String id, String token) {
      return settled(
          () -> registry.resume(peer, new JsonObject().put("id", id).put("resumeToken", token)));
    }

    JsonObject join(String peer, JsonObject body) {
      return settled(() -> registry.join(peer, body));
    }

    JsonObject watch(String peer, String id, String name) {
      JsonObject body = new JsonObject().put("id", id);
      return join(peer, name == null ? body : body.put("name", name));
    }

    JsonObject leave(String peer) {
      return settled(() -> registry.leave(peer, new JsonObject()));
    }

    JsonObject stop(String peer, String id) {
      return settled(() -> registry.stop(peer, new JsonObject().put("id", id)));
    }

    JsonObject keepalive(String peer) {
      return settled(() -> registry.keepalive(peer, new JsonObject()));
    }

    JsonObject rename(String peer, String name) {
      return settled(() -> registry.rename(peer, new JsonObject().put("name", name)));
    }

    JsonObject signal(String peer, JsonObject body) {
      return settled(() -> registry.signal(peer, body));
    }

    JsonObject chat(String peer, String text) {
      return settled(() -> registry.chat(peer, new JsonObject().put("text", text)));
    }

    JsonObject relayAble(String peer, boolean relay) {
      return settled(() -> registry.relayAble(peer, new JsonObject().put("relay", relay)));
    }

    JsonObject stalled(String peer) {
      return settled(() -> registry.relayStalled(peer, new JsonObject()));
    }

    JsonObject list(String peer) {
      return settled(() -> registry.list(peer, new JsonObject()));
    }

    void disconnect(String peer) {
      registry.disconnect(peer);
      registry.settle();
    }

    /** Runs every pending timer, as the event loop would once their delays passed. */
    void runTimers() {
      List<Long> due = List.copyOf(timers.keySet());
      for (Long id : due) {
        Scheduled timer = timers.remove(id);
        if (timer != null) {
          timer.task().run();
          registry.settle();
        }
      }
    }

    List<JsonObject> mail(String peer) {
      return sent.stream().filter(e -> e.getKey().equals(peer)).map(Map.Entry::getValue).toList();
    }

    List<JsonObject> mail(String peer, String type) {
      return mail(peer).stream().filter(m -> type.equals(m.getString("type"))).toList();
    }

    /** The one message of this type the peer received; fails if there are none or several. */
    JsonObject only(String peer, String type) {
      List<JsonObject> found = mail(peer, type);
      assertEquals(1, found.size(), () -> peer + " received " + mail(peer));
      return found.get(0);
    }

    void forget() {
      sent.clear();
    }

    List<String> listedIds() {
      return registry.channels().stream().map(c -> ((JsonObject) c).getString("id")).toList();
    }

    JsonObject listed(String id) {
      return registry.channels().stream()
          .map(JsonObject.class::cast)
          .filter(c -> c.getString("id").equals(id))
          .findFirst()
          .orElse(null);
    }

    private JsonObject settled(Supplier<JsonObject> request) {
      try {
        return request.get();
      } finally {
        registry.settle();
      }
    }
  }
}
