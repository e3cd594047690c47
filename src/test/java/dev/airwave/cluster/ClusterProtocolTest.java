package dev.airwave.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.BridgeClient.Refused;
import dev.airwave.testing.ClusterNode;
import dev.airwave.testing.Signals;
import dev.airwave.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("cluster")
@Tag("integration")
@DisplayName("Two nodes from the built jar behave as one service")
class ClusterProtocolTest {
  private static final int MAX_CHANNELS = 4;
  private static final int MAX_WAITING_IDS = 3;
  private static TestCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster =
        TestCluster.start(
            2,
            Map.of(
                "AIRWAVE_MAX_CHANNELS",
                Integer.toString(MAX_CHANNELS),
                "AIRWAVE_MAX_WAITING_IDS",
                Integer.toString(MAX_WAITING_IDS),
                "AIRWAVE_GRACE_SECONDS",
                "10",
                "AIRWAVE_LIST_REFRESH_MS",
                "50",
                "AIRWAVE_DIRECT_SLOTS",
                "1"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void closeClientsAndCheckNothingIsLeft() {
    cluster.closeClients();
    awaitEmptyDirectory(cluster.node(0));
  }

  private static ClusterNode node(int index) {
    return cluster.node(index);
  }

  private static BridgeClient client(int node) {
    return cluster.client(node(node));
  }

  @Test
  @DisplayName("a relay tree across the nodes: a viewer on one node feeds a viewer on the other")
  void relayTreeAcrossNodes() {
    BridgeClient host = client(0);
    host.request("airwave.channel.create", new JsonObject().put("id", "tree").put("relay", true));
    BridgeClient ann = client(1);
    JsonObject annJoined =
        ann.request(
            "airwave.channel.join",
            new JsonObject().put("id", "tree").put("name", "Ann").put("relay", true));
    assertEquals(host.peerId(), annJoined.getString("parent"));
    assertEquals(ann.peerId(), host.next("feed").getString("viewer"));
    BridgeClient bob = client(0);
    JsonObject bobJoined =
        bob.request(
            "airwave.channel.join",
            new JsonObject().put("id", "tree").put("name", "Bob").put("relay", true));
    assertEquals(
        ann.peerId(), bobJoined.getString("parent"), "the broadcaster's one slot is Ann's");
    assertEquals(bob.peerId(), ann.next("feed").getString("viewer"));
    ann.request("airwave.signal", Signals.offer(bob.peerId(), "v=0 relayed"));
    assertEquals(ann.peerId(), bob.next("offer").getString("from"));
    bob.request("airwave.signal", Signals.answer(ann.peerId(), "v=0 answer"));
    assertEquals(bob.peerId(), ann.next("answer").getString("from"));
    ann.close();
    assertEquals(host.peerId(), bob.next("parent").getString("parent"));
    assertEquals(bob.peerId(), host.next("feed").getString("viewer"));
  }

  @ParameterizedTest(name = "broadcaster on node {0}, viewers on nodes {1} and {2}")
  @CsvSource({"0,0,1", "1,0,1", "0,1,1"})
  @DisplayName("the whole protocol with members spread over the nodes")
  void wholeProtocol(int broadcasterNode, int annNode, int bobNode) {
    String id = "whole" + broadcasterNode + annNode + bobNode;
    BridgeClient host = client(broadcasterNode);
    JsonObject created =
        host.request(
            "airwave.channel.create",
            new JsonObject().put("id", id).put("title", "Across").put("name", "Host"));
    assertEquals(id, created.getJsonObject("channel").getString("id"));

    BridgeClient ann = client(annNode);
    JsonObject joined =
        ann.request("airwave.channel.join", new JsonObject().put("id", id).put("name", "Ann"));
    assertEquals("live", joined.getString("status"));
    assertEquals("Host", joined.getString("broadcaster"));
    BridgeClient bob = client(bobNode);
    bob.request("airwave.channel.join", new JsonObject().put("id", id).put("name", "Bob"));
    assertEquals("Ann", host.next("viewer-joined").getJsonObject("viewer").getString("name"));
    assertEquals("Bob", host.next("viewer-joined").getJsonObject("viewer").getString("name"));
    assertEquals(
        "name_taken",
        client(bobNode)
            .refusal("airwave.channel.join", new JsonObject().put("id", id).put("name", "ann"))
            .code());

    for (BridgeClient viewer : List.of(ann, bob)) {
      host.request("airwave.signal", Signals.offer(viewer.peerId(), "v=0 offer"));
      JsonObject offer = viewer.next("offer");
      assertEquals(host.peerId(), offer.getString("from"));
      viewer.request("airwave.signal", Signals.answer(host.peerId(), "v=0 answer"));
      assertEquals(viewer.peerId(), host.next("answer").getString("from"));
      viewer.request("airwave.signal", Signals.ice(host.peerId(), "candidate:1"));
      assertEquals(viewer.peerId(), host.next("ice").getString("from"));
      host.request("airwave.signal", Signals.ice(viewer.peerId(), "candidate:2"));
      assertEquals(host.peerId(), viewer.next("ice").getString("from"));
    }
    assertEquals(
        "not_allowed",
        ann.refusal("airwave.signal", Signals.offer(bob.peerId(), "v=0 sideways")).code());

    bob.request("airwave.chat.send", new JsonObject().put("text", "hello from Bob"));
    for (BridgeClient member : List.of(host, ann, bob)) {
      JsonObject chat = member.next("chat");
      assertEquals("hello from Bob", chat.getString("text"));
      assertEquals("Bob", chat.getJsonObject("from").getString("name"));
      assertEquals("viewer", chat.getJsonObject("from").getString("role"));
    }
    host.request("airwave.chat.send", new JsonObject().put("text", "welcome"));
    for (BridgeClient member : List.of(host, ann, bob)) {
      assertEquals("Host", member.next("chat").getJsonObject("from").getString("name"));
    }

    ann.request("airwave.profile.name", new JsonObject().put("name", "Anna"));
    JsonObject renamed = host.next("viewer-renamed");
    assertEquals(ann.peerId(), renamed.getString("peerId"));
    assertEquals("Anna", renamed.getString("name"));
    // Counts are coalesced: one with Ann alone may come first, the last one says two.
    int viewers = ann.next("viewers").getInteger("viewers");
    while (viewers != 2) {
      viewers = ann.next("viewers").getInteger("viewers");
    }

    bob.request("airwave.channel.leave", new JsonObject());
    JsonObject left = host.next("viewer-left");
    assertEquals(bob.peerId(), left.getString("peerId"));
    assertEquals("left", left.getString("reason"));
    assertEquals(
        "not_member", bob.refusal("airwave.chat.send", new JsonObject().put("text", "x")).code());

    assertEquals(
        "not_owner", ann.refusal("airwave.channel.stop", new JsonObject().put("id", id)).code());
    host.request("airwave.channel.stop", new JsonObject().put("id", id));
    assertEquals("stopped", ann.next("channel-ended").getString("reason"));
  }

  @Test
  @DisplayName("a viewer waits on one node for a broadcast that starts on the other")
  void waitingViewerOnTheOtherNode() {
    BridgeClient viewer = client(1);
    JsonObject waiting =
        viewer.request(
            "airwave.channel.join", new JsonObject().put("id", "later").put("name", "Early"));
    assertEquals("waiting", waiting.getString("status"));
    BridgeClient host = client(0);
    JsonObject created =
        host.request(
            "airwave.channel.create", new JsonObject().put("id", "later").put("title", "Soon"));
    assertEquals(1, created.getJsonArray("viewers").size());
    JsonObject live = viewer.next("channel-live");
    assertEquals("Soon", live.getJsonObject("channel").getString("title"));
    assertEquals(
        viewer.peerId(), host.next("viewer-joined").getJsonObject("viewer").getString("peerId"));
    host.request("airwave.signal", Signals.offer(viewer.peerId(), "v=0"));
    viewer.next("offer");
    assertEquals(
        "channel_taken",
        client(1).refusal("airwave.channel.create", new JsonObject().put("id", "later")).code());
    host.request("airwave.channel.stop", new JsonObject().put("id", "later"));
    assertEquals("stopped", viewer.next("channel-ended").getString("reason"));
  }

  @Test
  @DisplayName("a broadcaster whose socket closed resumes its channel through the other node")
  void resumeThroughTheOtherNode() {
    BridgeClient first = client(0);
    JsonObject created =
        first.request("airwave.channel.create", new JsonObject().put("id", "moving"));
    String token = created.getString("resumeToken");
    BridgeClient viewer = client(1);
    viewer.request("airwave.channel.join", new JsonObject().put("id", "moving").put("name", "V"));
    first.close();
    assertTrue(viewer.next("broadcaster-away").getInteger("graceSeconds") > 0);
    BridgeClient second = client(1);
    JsonObject resumed =
        second.request(
            "airwave.channel.resume",
            new JsonObject().put("id", "moving").put("resumeToken", token));
    assertEquals("moving", resumed.getJsonObject("channel").getString("id"));
    viewer.next("channel-live");
    assertEquals(
        viewer.peerId(), second.next("viewer-joined").getJsonObject("viewer").getString("peerId"));
    second.request("airwave.channel.keepalive", new JsonObject());
    second.request("airwave.channel.stop", new JsonObject().put("id", "moving"));
    viewer.next("channel-ended");
  }

  @Test
  @DisplayName("the same id created on both nodes at once: exactly one create wins, every time")
  void sameIdOnBothNodes() {
    for (int round = 0; round < 10; round++) {
      String id = "race" + round;
      BridgeClient onA = client(0);
      BridgeClient onB = client(1);
      List<CompletableFuture<Object>> attempts = new ArrayList<>();
      for (BridgeClient contender : List.of(onA, onB)) {
        attempts.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return contender.request(
                        "airwave.channel.create", new JsonObject().put("id", id));
                  } catch (Refused refused) {
                    return refused;
                  }
                }));
      }
      List<Object> outcomes = attempts.stream().map(CompletableFuture::join).toList();
      long won = outcomes.stream().filter(JsonObject.class::isInstance).count();
      assertEquals(1, won, "round " + round + ": " + outcomes);
      Refused lost =
          (Refused) outcomes.stream().filter(Refused.class::isInstance).findFirst().orElseThrow();
      assertEquals("channel_taken", lost.code());
      BridgeClient winner = outcomes.get(0) instanceof JsonObject ? onA : onB;
      winner.request("airwave.channel.stop", new JsonObject().put("id", id));
    }
  }

  @Test
  @DisplayName("the channel cap is counted over both nodes")
  void capCountsEveryNode() {
    List<BridgeClient> hosts = new ArrayList<>();
    for (int i = 0; i < MAX_CHANNELS; i++) {
      BridgeClient host = client(i % 2);
      host.request("airwave.channel.create", new JsonObject().put("id", "cap" + i));
      hosts.add(host);
    }
    for (int node = 0; node < 2; node++) {
      assertEquals(
          "channels_full",
          client(node)
              .refusal("airwave.channel.create", new JsonObject().put("id", "over" + node))
              .code());
    }
    hosts.get(1).request("airwave.channel.stop", new JsonObject().put("id", "cap1"));
    BridgeClient late = client(0);
    awaitCreated(late, "late");
    late.request("airwave.channel.stop", new JsonObject().put("id", "late"));
    for (int i = 0; i < MAX_CHANNELS; i++) {
      if (i != 1) {
        hosts.get(i).request("airwave.channel.stop", new JsonObject().put("id", "cap" + i));
      }
    }
  }

  @Test
  @DisplayName("the waiting rooms of both nodes count against one cap on waiting ids")
  void waitingCapCountsEveryNode() {
    for (int i = 0; i < MAX_WAITING_IDS; i++) {
      client(i % 2)
          .request("airwave.channel.join", new JsonObject().put("id", "wait" + i).put("name", "W"));
    }
    // Each node publishes what waits on it with its channels (every 50 ms here): once each node
    // lists a channel the other started after its joins, it has counted the other's waiting ids.
    for (int node = 0; node < 2; node++) {
      client(node).request("airwave.channel.create", new JsonObject().put("id", "mark" + node));
    }
    for (int node = 0; node < 2; node++) {
      assertEquals(Set.of("mark0", "mark1"), awaitListed(client(node), Set.of("mark0", "mark1")));
    }
    for (int node = 0; node < 2; node++) {
      assertEquals(
          "waiting_full",
          client(node)
              .refusal(
                  "airwave.channel.join",
                  new JsonObject().put("id", "more" + node).put("name", "W"))
              .code(),
          "node " + node);
    }
  }

  @Test
  @DisplayName("a socket's chat budget holds when its channel is owned by the other node")
  void budgetNotMultiplied() {
    BridgeClient host = client(0);
    host.request("airwave.channel.create", new JsonObject().put("id", "budget"));
    BridgeClient viewer = client(1);
    viewer.request("airwave.channel.join", new JsonObject().put("id", "budget").put("name", "V"));
    int accepted = 0;
    int limited = 0;
    for (int i = 0; i < 16; i++) {
      try {
        viewer.request("airwave.chat.send", new JsonObject().put("text", "line " + i));
        accepted++;
      } catch (Refused refused) {
        assertEquals("rate_limited", refused.code());
        limited++;
      }
    }
    // chatBurst 8 and 2 per second: a burst of 16 gets 8, maybe 9, never 16 (two budgets).
    assertTrue(accepted >= 8 && accepted <= 9, "accepted " + accepted);
    assertEquals(16 - accepted, limited);
    host.request("airwave.channel.stop", new JsonObject().put("id", "budget"));
  }

  @Test
  @DisplayName("every node lists the channels of every node, and publishes changes to its sockets")
  void sameListEverywhere() {
    BridgeClient watcherA = client(0);
    BridgeClient watcherB = client(1);
    watcherA.register("airwave.channels");
    watcherB.register("airwave.channels");
    BridgeClient hostA = client(0);
    hostA.request("airwave.channel.create", new JsonObject().put("id", "onA").put("title", "A"));
    BridgeClient hostB = client(1);
    hostB.request("airwave.channel.create", new JsonObject().put("id", "onB").put("title", "B"));
    Set<String> both = new TreeSet<>(Set.of("onA", "onB"));
    for (BridgeClient watcher : List.of(watcherA, watcherB)) {
      assertEquals(both, awaitListed(watcher, both));
      assertEquals(both, awaitUpdate(watcher, both));
    }
    hostA.request("airwave.channel.stop", new JsonObject().put("id", "onA"));
    hostB.request("airwave.channel.stop", new JsonObject().put("id", "onB"));
    for (BridgeClient watcher : List.of(watcherA, watcherB)) {
      assertEquals(Set.of(), awaitListed(watcher, Set.of()));
    }
  }

  @Test
  @DisplayName("Hazelcast has the access it needs from the jar's manifest and logs only warnings")
  void hazelcastStartsQuietly() {
    for (int i = 0; i < 2; i++) {
      String log = node(i).log();
      assertTrue(log.contains("of a cluster of"), log);
      // Without the manifest's Add-Opens/Add-Exports Hazelcast asks for them, naming the flags.
      assertFalse(log.contains("--add-exports") || log.contains("--add-opens"), log);
      assertTrue(
          log.lines().noneMatch(line -> line.contains(" INFO ") && line.contains("[5.3.8]")),
          "Hazelcast logs at INFO: " + log);
    }
  }

  @Test
  @DisplayName("internal addresses are not reachable from a browser on any node")
  void internalAddressesClosed() {
    BridgeClient browser = client(1);
    browser.sendFrame(
        new JsonObject()
            .put("type", "send")
            .put("address", "airwave.internal.summaries")
            .put("body", new JsonObject().put("node", "x").put("channels", new JsonArray())));
    assertEquals("access_denied", browser.nextBridgeError());
    JsonObject list = browser.request("airwave.channels.list", new JsonObject());
    assertNull(find(list.getJsonArray("channels"), "x"));
  }

  private static Object find(JsonArray channels, String id) {
    for (Object channel : channels) {
      if (id.equals(((JsonObject) channel).getString("id"))) {
        return channel;
      }
    }
    return null;
  }

  private static Set<String> ids(JsonArray channels) {
    Set<String> ids = new TreeSet<>();
    channels.forEach(channel -> ids.add(((JsonObject) channel).getString("id")));
    return ids;
  }

  /** The listed ids once they equal the expected ones, or the last seen after 3 s. */
  private static Set<String> awaitListed(BridgeClient client, Set<String> expected) {
    Set<String> seen = Set.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < deadline) {
      seen =
          ids(client.request("airwave.channels.list", new JsonObject()).getJsonArray("channels"));
      if (seen.equals(expected)) {
        return seen;
      }
      pause(50);
    }
    return seen;
  }

  private static Set<String> awaitUpdate(BridgeClient client, Set<String> expected) {
    Set<String> seen = Set.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < deadline) {
      seen = ids(client.nextChannelUpdate().getJsonArray("channels"));
      if (seen.equals(expected)) {
        return seen;
      }
    }
    return seen;
  }

  /** Creates once the cap has room again (the directory frees a stopped channel's place async). */
  private static void awaitCreated(BridgeClient client, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (true) {
      try {
        client.request("airwave.channel.create", new JsonObject().put("id", id));
        return;
      } catch (Refused refused) {
        if (System.nanoTime() > deadline || !"channels_full".equals(refused.code())) {
          throw refused;
        }
        pause(50);
      }
    }
  }

  /** After everyone left, no claim and no counted channel stays in the cluster maps. */
  static void awaitEmptyDirectory(ClusterNode node) {
    JsonObject directory = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject health = node.health();
      directory = health == null ? null : health.getJsonObject("directory");
      if (directory != null
          && directory.getInteger("claims") == 0
          && directory.getInteger("started") == 0) {
        return;
      }
      pause(100);
    }
    throw new AssertionError("the cluster maps still hold " + directory);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
