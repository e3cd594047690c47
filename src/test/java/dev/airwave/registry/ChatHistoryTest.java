package dev.airwave.registry;

import static dev.airwave.registry.RegistryTest.ANN;
import static dev.airwave.registry.RegistryTest.BOB;
import static dev.airwave.registry.RegistryTest.HOST;
import static dev.airwave.registry.RegistryTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.airwave.registry.RegistryTest.Harness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A channel's recent chat, replayed to whoever joins or resumes")
class ChatHistoryTest {
  private static final String LATE = "8-r1pu2ElxwXjOAX87j51Q";
  private static final String NEW_SOCKET = "p3gK8MmEMVP-DBRdBZi7aA";

  private static List<String> texts(JsonObject reply) {
    return reply.getJsonArray("history").stream()
        .map(line -> ((JsonObject) line).getString("text"))
        .toList();
  }

  @Test
  @DisplayName("a late viewer gets the earlier lines, exactly as the members received them")
  void lateViewerGetsEarlierLines() {
    Harness h = new Harness();
    h.create(HOST, new JsonObject().put("id", "demo").put("name", "Kim"));
    h.watch(ANN, "demo", "Ann");
    h.chat(ANN, "hello");
    h.chat(HOST, "welcome");
    JsonObject reply = h.watch(LATE, "demo", "Late");
    assertEquals(new JsonArray(h.mail(ANN, "chat")), reply.getJsonArray("history"));
    assertEquals(List.of("hello", "welcome"), texts(reply));
  }

  @Test
  @DisplayName("a broadcaster who resumes gets the conversation back, its viewers' lines included")
  void resumeGetsTheConversation() {
    Harness h = new Harness();
    String token =
        h.create(HOST, new JsonObject().put("id", "demo").put("name", "Kim"))
            .getString("resumeToken");
    h.watch(ANN, "demo", "Ann");
    h.chat(HOST, "going to reload");
    h.disconnect(HOST);
    h.chat(ANN, "while you were away");
    assertEquals(
        List.of("going to reload", "while you were away"),
        texts(h.resume(NEW_SOCKET, "demo", token)));
  }

  @Test
  @DisplayName("the history keeps the latest lines within its line bound")
  void boundedInLines() {
    Harness h = new Harness(new JsonObject().put("chatHistoryLines", 3).put("chatBurst", 100));
    h.broadcast(HOST, "demo");
    IntStream.range(0, 7).forEach(i -> h.chat(HOST, "line " + i));
    assertEquals(List.of("line 4", "line 5", "line 6"), texts(h.watch(ANN, "demo", "Ann")));
  }

  @Test
  @DisplayName("the history keeps the latest lines within its byte bound, names and texts counted")
  void boundedInBytes() {
    Harness h = new Harness(new JsonObject().put("chatHistoryBytes", 40).put("chatBurst", 100));
    h.create(HOST, new JsonObject().put("id", "demo").put("name", "Kim"));
    // "Kim" and each nine-byte text take 12 bytes: three lines fit in 40, a fourth does not.
    IntStream.range(0, 5).forEach(i -> h.chat(HOST, "\u00e9t line" + i));
    assertEquals(
        List.of("\u00e9t line2", "\u00e9t line3", "\u00e9t line4"),
        texts(h.watch(ANN, "demo", "Ann")));
  }

  @Test
  @DisplayName(
      "with no history configured nothing is kept; an ended channel's history goes with it")
  void noneKeptAndNoneCarriedOver() {
    Harness none = new Harness(new JsonObject().put("chatHistoryLines", 0));
    none.broadcast(HOST, "demo");
    none.chat(HOST, "gone at once");
    assertEquals(List.of(), texts(none.watch(ANN, "demo", "Ann")));

    Harness h = new Harness();
    h.broadcast(HOST, "demo");
    h.chat(HOST, "old channel");
    h.stop(HOST, "demo");
    h.broadcast(HOST, "demo");
    assertEquals(List.of(), texts(h.watch(BOB, "demo", "Bob")));
  }

  @Test
  @DisplayName("a refused line is not kept")
  void refusedLinesAreNotKept() {
    Harness h = new Harness();
    h.broadcast(HOST, "demo");
    refused(ErrorCode.INVALID_TEXT, () -> h.chat(HOST, "   "));
    assertEquals(List.of(), texts(h.watch(ANN, "demo", "Ann")));
  }
}
