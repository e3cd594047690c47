package dev.airwave.browser;

import static dev.airwave.browser.Window.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Viewers pass the stream on along the tree the service keeps, in real Chromium: with two direct
 * slots and two relay slots, six viewers watch while the broadcaster sends two streams; a relay
 * that closes its tab is bridged over within two seconds; a channel that does not relay is as
 * before. The broadcaster shares a small clock picture (320×180 at 15 fps) so that seven pages and
 * their encoders fit this machine.
 */
@DisplayName("The viewer relay tree in real Chromium")
class RelayTreeBrowserTest extends BrowserTest {
  private static final Duration REPAIR = Duration.ofSeconds(2);

  @Override
  protected JsonObject settings() {
    return new JsonObject().put("directSlots", 2).put("relaySlots", 2);
  }

  private Window broadcast(String id, boolean relay) {
    Window host = airwave.broadcast(id, relay);
    host.script("airwaveDebug.shareClock({width: 320, height: 180, fps: 15})");
    return host;
  }

  private List<Window> watchers(String id, int count) {
    List<Window> viewers = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      Window viewer = airwave.watch("Viewer " + i, id);
      Airwave.awaitPlaying(viewer);
      viewers.add(viewer);
    }
    Airwave.awaitMediaFlows(viewers);
    return viewers;
  }

  private static String peerId(Window page) {
    return String.valueOf(page.stats().get("peerId"));
  }

  private static String parentOf(Window viewer) {
    return (String) viewer.viewerStats().get("parentId");
  }

  @SuppressWarnings("unchecked")
  private static List<String> childrenOf(Window viewer) {
    return (List<String>) viewer.viewerStats().get("children");
  }

  /** The viewers that take the stream from this member. */
  private static List<Window> fedBy(List<Window> viewers, String feederId) {
    return viewers.stream().filter(v -> feederId.equals(parentOf(v))).toList();
  }

  private static List<Window> withIds(List<Window> viewers, List<String> ids) {
    return viewers.stream().filter(v -> ids.contains(peerId(v))).toList();
  }

  private static long connections(Window page) {
    return number(page.stats(), "openPeerConnections");
  }

  @Test
  @DisplayName("six viewers decode frames and sound while the broadcaster has two connections")
  void sixViewersTwoConnections() {
    Window host = broadcast("relayed", true);
    List<Window> viewers = watchers("relayed", 6);
    String hostId = peerId(host);
    assertEquals(2, connections(host), "the broadcaster feeds its two direct viewers only");
    List<Window> relays = fedBy(viewers, hostId);
    assertEquals(2, relays.size(), "two viewers hang from the broadcaster");
    for (Window relay : relays) {
      assertEquals(2, childrenOf(relay).size(), "each direct viewer relays to two more");
      assertEquals(3, connections(relay), "one in, two out");
      relay.await(
          "the page to say it helps",
          Airwave.SHORT,
          w -> w.text("relay-status").equals("Passing the stream on to 2 viewers"));
    }
    for (Window viewer : viewers) {
      if (!relays.contains(viewer)) {
        assertTrue(
            relays.stream().map(RelayTreeBrowserTest::peerId).toList().contains(parentOf(viewer)),
            "a second-level viewer is fed by a relay");
        assertEquals("", viewer.text("relay-status"));
      }
    }
    host.await(
        "the tree's shape on the broadcaster's page",
        Airwave.SHORT,
        w -> w.text("relay-tree").equals("Feeding 2 viewers directly · tree depth 2"));
    Map<String, Object> tree = castMap(host.broadcasterStats().get("tree"));
    assertEquals(6L, number(tree, "viewers"));
    Airwave.awaitMediaFlows(viewers);
  }

  @Test
  @DisplayName("a relay closes its tab: its children decode again within 2 s, without a reload")
  void relayClosesItsTab() {
    Window host = broadcast("repair", true);
    List<Window> viewers = watchers("repair", 6);
    String hostId = peerId(host);
    Window relay = fedBy(viewers, hostId).get(0);
    List<String> orphanIds = childrenOf(relay);
    List<Window> orphans = withIds(viewers, orphanIds);
    assertEquals(2, orphans.size());
    List<Long> serials = orphans.stream().map(v -> number(v.viewerStats(), "pcSerial")).toList();
    orphans.forEach(o -> o.script("window.sameDocument = true"));

    long closed = System.nanoTime();
    relay.close();
    List<Long> repairMs = new ArrayList<>();
    for (int i = 0; i < orphans.size(); i++) {
      long serial = serials.get(i);
      orphans
          .get(i)
          .await(
              "decoded frames from a new feeder",
              Airwave.SHORT,
              w -> {
                Map<String, Object> v = w.viewerStats();
                return number(v, "pcSerial") != serial
                    && "playing".equals(v.get("state"))
                    && number(v, "framesDecoded") > 0;
              });
      repairMs.add((System.nanoTime() - closed) / 1_000_000);
    }
    System.out.printf("relay tab closed: children decoding again after %s ms%n", repairMs);
    for (long ms : repairMs) {
      assertTrue(ms <= REPAIR.toMillis(), "picture back after " + repairMs + " ms");
    }
    for (Window orphan : orphans) {
      assertEquals(Boolean.TRUE, orphan.script("return window.sameDocument === true"), "no reload");
    }
    List<Window> left = new ArrayList<>(viewers);
    left.remove(relay);
    Airwave.awaitMediaFlows(left);
    assertEquals(2, connections(host));
  }

  @Test
  @DisplayName(
      "a relay stalls with its socket open: its children report it and decode from another feeder")
  void relayStalls() {
    Window host = broadcast("stall", true);
    List<Window> viewers = watchers("stall", 4);
    String hostId = peerId(host);
    List<Window> direct = fedBy(viewers, hostId);
    Window relay = direct.stream().filter(v -> !childrenOf(v).isEmpty()).findFirst().orElseThrow();
    Window other = direct.stream().filter(v -> v != relay).findFirst().orElseThrow();
    List<String> orphanIds = childrenOf(relay);
    List<Window> orphans = withIds(viewers, orphanIds);
    assertEquals(2, orphans.size());
    List<Long> serials = orphans.stream().map(v -> number(v.viewerStats(), "pcSerial")).toList();

    long stalled = System.nanoTime();
    relay.script("return airwaveDebug.stallRelay()");
    // Both children are watched at once: when each reported the stall, and when it decoded again.
    long[] reported = new long[orphans.size()];
    long[] playing = new long[orphans.size()];
    long deadline = stalled + Airwave.SHORT.toNanos();
    while (Arrays.stream(playing).anyMatch(t -> t == 0) && System.nanoTime() < deadline) {
      for (int i = 0; i < orphans.size(); i++) {
        Map<String, Object> v = orphans.get(i).viewerStats();
        long now = System.nanoTime();
        if (reported[i] == 0 && number(v, "stalledReports") == 1) {
          reported[i] = now;
        }
        if (playing[i] == 0
            && reported[i] != 0
            && number(v, "pcSerial") != serials.get(i)
            && "playing".equals(v.get("state"))
            && number(v, "framesDecoded") > 0) {
          playing[i] = now;
        }
      }
    }
    List<String> times = new ArrayList<>();
    for (int i = 0; i < orphans.size(); i++) {
      assertTrue(playing[i] != 0, "child " + i + " decoding again");
      assertEquals(peerId(other), parentOf(orphans.get(i)), "moved outside the stalled subtree");
      assertEquals(1L, number(orphans.get(i).viewerStats(), "stalledReports"));
      long repairMs = (playing[i] - reported[i]) / 1_000_000;
      times.add(
          (reported[i] - stalled) / 1_000_000
              + " ms to report, "
              + repairMs
              + " ms more to decode");
      assertTrue(
          repairMs <= REPAIR.toMillis(), "picture back " + repairMs + " ms after the report");
    }
    System.out.printf("relay stalled: %s%n", times);
    Airwave.awaitMediaFlows(orphans);
    Airwave.awaitMediaFlows(List.of(relay));
    assertEquals(List.of(), childrenOf(relay), "the stalled relay feeds nobody now");
  }

  @Test
  @DisplayName(
      "the broadcaster reloads: its direct viewers reconnect to it, the viewer below a relay keeps"
          + " its connection")
  void broadcasterReloads() {
    Window host = broadcast("reload", true);
    List<Window> viewers = watchers("reload", 3);
    String hostId = peerId(host);
    Window deep =
        viewers.stream().filter(v -> !hostId.equals(parentOf(v))).findFirst().orElseThrow();
    long deepSerial = number(deep.viewerStats(), "pcSerial");
    host.focus().navigate().refresh();
    Airwave.awaitLive(host, "reload");
    String newHostId = peerId(host);
    for (Window viewer : viewers) {
      viewer.await(
          "playing after the broadcaster's reload",
          Airwave.PLAY,
          w -> "playing".equals(Airwave.viewerState(w)) && parentOf(w) != null);
    }
    Airwave.awaitMediaFlows(viewers);
    assertEquals(2, fedBy(viewers, newHostId).size(), "direct viewers");
    assertEquals(
        deepSerial,
        number(deep.viewerStats(), "pcSerial"),
        "the relay swapped the new picture into the connection it already had");
    assertEquals(2, connections(host));
    host.await(
        "the tree's shape again",
        Airwave.SHORT,
        w -> w.text("relay-tree").equals("Feeding 2 viewers directly · tree depth 2"));
  }

  @Test
  @DisplayName("a channel that does not relay: one connection per viewer, no relay on any page")
  void flatChannelIsUnchanged() {
    Window host = broadcast("flat", false);
    List<Window> viewers = watchers("flat", 3);
    assertEquals(3, connections(host));
    assertEquals(Boolean.FALSE, host.broadcasterStats().get("relay"));
    assertTrue(host.element("relay-tree-line").getAttribute("hidden") != null);
    for (Window viewer : viewers) {
      Map<String, Object> stats = viewer.viewerStats();
      assertEquals(Boolean.FALSE, stats.get("relayChannel"));
      Object parent = stats.get("parentId");
      assertTrue(parent == null || "".equals(parent), "no parent but the broadcaster: " + parent);
      assertEquals(List.of(), stats.get("children"));
      assertEquals(1, connections(viewer));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object value) {
    return (Map<String, Object>) Objects.requireNonNull(value);
  }
}
