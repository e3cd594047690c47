package dev.airwave.registry;

import static dev.airwave.registry.RegistryTest.ANN;
import static dev.airwave.registry.RegistryTest.BOB;
import static dev.airwave.registry.RegistryTest.CY;
import static dev.airwave.registry.RegistryTest.HOST;
import static dev.airwave.registry.RegistryTest.RIVAL;
import static dev.airwave.registry.RegistryTest.START;
import static dev.airwave.registry.RegistryTest.STRANGER;
import static dev.airwave.registry.RegistryTest.refused;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.registry.RegistryTest.Harness;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Relaying offers, answers, ICE candidates and chat within a channel")
class RelayTest {
  private static final String SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n";

  private final Harness h =
      new Harness(new JsonObject().put("maxSdpBytes", 1024).put("maxCandidateBytes", 128));

  @BeforeEach
  void demoWithTwoViewersAndAnotherChannel() {
    h.create(HOST, new JsonObject().put("id", "demo").put("name", "Kim"));
    h.watch(ANN, "demo", "Ann");
    h.watch(BOB, "demo", "Bob");
    h.broadcast(RIVAL, "other");
    h.watch(CY, "other", "Cy");
    h.forget();
  }

  static JsonObject offer(String to, String sdp) {
    return description(to, "offer", sdp);
  }

  static JsonObject description(String to, String type, String sdp) {
    return new JsonObject()
        .put("to", to)
        .put("type", type)
        .put("description", new JsonObject().put("type", type).put("sdp", sdp));
  }

  static JsonObject ice(String to, Object candidate) {
    return new JsonObject().put("to", to).put("type", "ice").put("candidate", candidate);
  }

  static JsonObject candidate(String line) {
    return new JsonObject()
        .put("candidate", line)
        .put("sdpMid", "0")
        .put("sdpMLineIndex", 0)
        .put("usernameFragment", "f00d");
  }

  @Test
  @DisplayName("an offer goes from the broadcaster to one viewer, stamped with sender and channel")
  void offerToViewer() {
    assertEquals(new JsonObject(), h.signal(HOST, offer(ANN, SDP)));
    assertEquals(
        new JsonObject()
            .put("type", "offer")
            .put("description", new JsonObject().put("type", "offer").put("sdp", SDP))
            .put("from", HOST)
            .put("channel", "demo"),
        h.only(ANN, "offer"));
    assertTrue(h.mail(BOB).isEmpty());
    assertTrue(h.mail(HOST).isEmpty());
  }

  @Test
  @DisplayName("a viewer answers, and may offer, to its broadcaster")
  void viewerToBroadcaster() {
    h.signal(ANN, description(HOST, "answer", SDP));
    h.signal(ANN, offer(HOST, SDP));
    assertEquals(ANN, h.only(HOST, "answer").getString("from"));
    assertEquals(SDP, h.only(HOST, "offer").getJsonObject("description").getString("sdp"));
  }

  @Test
  @DisplayName("ICE candidates travel both ways, and null marks the end of candidates")
  void iceBothWays() {
    JsonObject line = candidate("candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host");
    h.signal(HOST, ice(ANN, line));
    h.signal(ANN, ice(HOST, line.copy()));
    h.signal(ANN, ice(HOST, null));
    assertEquals(line, h.only(ANN, "ice").getJsonObject("candidate"));
    List<JsonObject> atHost = h.mail(HOST, "ice");
    assertEquals(line, atHost.get(0).getJsonObject("candidate"));
    assertTrue(atHost.get(1).containsKey("candidate"));
    assertNull(atHost.get(1).getValue("candidate"));
    assertEquals(ANN, atHost.get(1).getString("from"));
  }

  @Test
  @DisplayName("signals go only between a broadcaster and a viewer of the same live channel")
  void notAllowed() {
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(ANN, offer(BOB, SDP)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(ANN, offer(ANN, SDP)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(HOST, offer(HOST, SDP)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(HOST, offer(CY, SDP)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(HOST, offer(RIVAL, SDP)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(ANN, offer(RIVAL, SDP)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(CY, offer(HOST, SDP)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(STRANGER, offer(HOST, SDP)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(STRANGER, offer(ANN, SDP)));
    assertTrue(h.sent.isEmpty());
  }

  @Test
  @DisplayName("a waiting viewer, or one whose broadcaster is away, cannot signal")
  void notAllowedWhileNotLive() {
    h.watch(STRANGER, "later", "Dee");
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(STRANGER, offer(HOST, SDP)));
    h.disconnect(HOST);
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(ANN, offer(HOST, SDP)));
    refused(ErrorCode.NOT_ALLOWED, () -> h.signal(ANN, description(BOB, "answer", SDP)));
  }

  @Test
  @DisplayName("a signal to a peer that is not connected is refused as no such peer")
  void noSuchPeer() {
    refused(ErrorCode.NO_SUCH_PEER, () -> h.signal(HOST, offer("AAAAAAAAAAAAAAAAAAAAAA", SDP)));
    h.disconnect(ANN);
    refused(ErrorCode.NO_SUCH_PEER, () -> h.signal(HOST, offer(ANN, SDP)));
    assertDoesNotThrow(() -> h.signal(HOST, offer(BOB, SDP)));
  }

  @Test
  @DisplayName("an SDP is limited in UTF-8 bytes, not characters")
  void sdpTooLarge() {
    String fits = "v=0 " + "é".repeat(510);
    assertEquals(1024, fits.getBytes(StandardCharsets.UTF_8).length);
    assertDoesNotThrow(() -> h.signal(HOST, offer(ANN, fits)));
    refused(ErrorCode.TOO_LARGE, () -> h.signal(HOST, offer(ANN, fits + "x")));
    refused(ErrorCode.TOO_LARGE, () -> h.signal(ANN, description(HOST, "answer", "é".repeat(513))));
    assertEquals(1, h.mail(ANN).size());
    assertTrue(h.mail(HOST).isEmpty());
  }

  @Test
  @DisplayName("an ICE candidate is limited in encoded bytes")
  void candidateTooLarge() {
    JsonObject small = new JsonObject().put("candidate", "c".repeat(100));
    JsonObject big = new JsonObject().put("candidate", "c".repeat(120));
    assertDoesNotThrow(() -> h.signal(HOST, ice(ANN, small)));
    refused(ErrorCode.TOO_LARGE, () -> h.signal(HOST, ice(ANN, big)));
    assertEquals(1, h.mail(ANN, "ice").size());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"bye", "", "OFFER", "candidate"})
  @DisplayName("a signal type other than offer, answer or ice is refused")
  void unknownType(String type) {
    refused(ErrorCode.UNKNOWN_TYPE, () -> h.signal(HOST, description(ANN, type, SDP)));
    assertTrue(h.sent.isEmpty());
  }

  @Test
  @DisplayName("a description of the wrong type, or with fields it should not have, is refused")
  void malformedSignals() {
    JsonObject mismatched = offer(ANN, SDP);
    mismatched.getJsonObject("description").put("type", "answer");
    JsonObject extraInDescription = offer(ANN, SDP);
    extraInDescription.getJsonObject("description").put("sdpExtra", "x");
    JsonObject spoofedSender = offer(ANN, SDP).put("from", BOB);
    JsonObject offerWithCandidate = offer(ANN, SDP).put("candidate", candidate("c"));
    JsonObject iceWithDescription = ice(ANN, candidate("c")).put("description", new JsonObject());
    JsonObject extraInCandidate = ice(ANN, candidate("c").put("foundation", "1"));
    JsonObject textIndex = ice(ANN, candidate("c").put("sdpMLineIndex", "0"));
    JsonObject fractionalIndex = ice(ANN, candidate("c").put("sdpMLineIndex", 0.5));
    List<JsonObject> bad =
        List.of(
            mismatched,
            extraInDescription,
            spoofedSender,
            offerWithCandidate,
            iceWithDescription,
            extraInCandidate,
            textIndex,
            fractionalIndex,
            new JsonObject().put("to", ANN).put("type", "offer"),
            new JsonObject().put("to", ANN).put("type", "ice"),
            offer(ANN, SDP).put("description", SDP),
            ice(ANN, "candidate:1"),
            offer(ANN, SDP).put("to", 7),
            new JsonObject().put("type", "offer").put("description", offer(ANN, SDP)));
    for (JsonObject body : bad) {
      refused(ErrorCode.BAD_REQUEST, () -> h.signal(HOST, body));
    }
    assertTrue(h.sent.isEmpty());
  }

  @Test
  @DisplayName("every member hears a chat line, stamped by the server with its sender")
  void chatFanOut() {
    h.now = START + 5_000;
    JsonObject reply = h.chat(ANN, "  hello there  ");
    List<JsonObject> received =
        List.of(h.only(HOST, "chat"), h.only(ANN, "chat"), h.only(BOB, "chat"));
    JsonObject expected =
        new JsonObject()
            .put("type", "chat")
            .put("channel", "demo")
            .put("id", reply.getString("id"))
            .put(
                "from",
                new JsonObject().put("peerId", ANN).put("name", "Ann").put("role", "viewer"))
            .put("text", "hello there")
            .put("at", START + 5_000);
    received.forEach(message -> assertEquals(expected, message));
    assertTrue(h.mail(CY).isEmpty());
    assertTrue(h.mail(RIVAL).isEmpty());
  }

  @Test
  @DisplayName("the broadcaster's chat is stamped with its role, and message ids differ")
  void broadcasterChat() {
    String first = h.chat(HOST, "welcome").getString("id");
    String second = h.chat(HOST, "welcome again").getString("id");
    assertNotEquals(first, second);
    JsonObject from = h.mail(BOB, "chat").get(0).getJsonObject("from");
    assertEquals(
        new JsonObject().put("peerId", HOST).put("name", "Kim").put("role", "broadcaster"), from);
  }

  @ParameterizedTest(name = "[{index}]")
  @ValueSource(
      strings = {
        "",
        "   ",
        "line one\nline two",
        "tab\tinside",
        "bell\u0007",
        "evil\u202Etxt.exe",
        "isolate\u2066x",
        "sep\u2028x",
        "lone \uD83D surrogate",
        "\uDE00 low first",
        "next line\u0085x"
      })
  @DisplayName("empty text or text with control characters is refused")
  void invalidText(String text) {
    refused(ErrorCode.INVALID_TEXT, () -> h.chat(ANN, text));
    assertTrue(h.sent.isEmpty());
  }

  @Test
  @DisplayName("chat text is at most 500 characters, an emoji counting as one")
  void chatLength() {
    Harness roomy = new Harness(new JsonObject().put("chatBurst", 10));
    roomy.broadcast(HOST, "demo");
    assertDoesNotThrow(() -> roomy.chat(HOST, "a".repeat(500)));
    assertDoesNotThrow(() -> roomy.chat(HOST, "\uD83D\uDE00".repeat(500)));
    assertDoesNotThrow(() -> roomy.chat(HOST, "Ünïcödé ok, 日本語も"));
    refused(ErrorCode.INVALID_TEXT, () -> roomy.chat(HOST, "a".repeat(501)));
    refused(ErrorCode.INVALID_TEXT, () -> roomy.chat(HOST, "\uD83D\uDE00".repeat(501)));
  }

  @Test
  @DisplayName("a stranger or a waiting viewer cannot chat; a viewer whose broadcaster is away can")
  void chatMembership() {
    refused(ErrorCode.NOT_MEMBER, () -> h.chat(STRANGER, "hi"));
    h.watch(STRANGER, "later", "Dee");
    refused(ErrorCode.NOT_MEMBER, () -> h.chat(STRANGER, "hi"));
    assertTrue(h.sent.isEmpty());
    h.disconnect(HOST);
    h.forget();
    h.chat(ANN, "anyone?");
    assertEquals(1, h.mail(BOB, "chat").size());
    assertTrue(h.mail(HOST).isEmpty());
  }

  @Test
  @DisplayName("chat allows a burst, then refuses until the bucket refills")
  void chatRateLimit() {
    for (int i = 0; i < 8; i++) {
      h.chat(ANN, "message " + i);
    }
    refused(ErrorCode.RATE_LIMITED, () -> h.chat(ANN, "one too many"));
    assertDoesNotThrow(() -> h.chat(BOB, "my own budget"));
    h.now += 500;
    assertDoesNotThrow(() -> h.chat(ANN, "after a pause"));
    refused(ErrorCode.RATE_LIMITED, () -> h.chat(ANN, "too soon"));
    assertEquals(
        9,
        h.mail(HOST, "chat").stream()
            .filter(m -> m.getJsonObject("from").getString("peerId").equals(ANN))
            .count());
  }

  @Test
  @DisplayName("signals allow a burst, then refuse until the bucket refills")
  void signalRateLimit() {
    Harness tight =
        new Harness(new JsonObject().put("signalBurst", 3).put("signalPerSecond", 10.0));
    tight.broadcast(HOST, "demo");
    tight.watch(ANN, "demo", "Ann");
    for (int i = 0; i < 3; i++) {
      tight.signal(HOST, ice(ANN, candidate("candidate:" + i)));
    }
    refused(ErrorCode.RATE_LIMITED, () -> tight.signal(HOST, ice(ANN, candidate("c"))));
    tight.now += 100;
    assertDoesNotThrow(() -> tight.signal(HOST, ice(ANN, candidate("c"))));
    assertEquals(4, tight.mail(ANN, "ice").size());
  }
}
