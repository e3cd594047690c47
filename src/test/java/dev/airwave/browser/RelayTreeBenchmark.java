package dev.airwave.browser;

import static dev.airwave.browser.Window.number;

import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the relay tree saves the broadcaster, what each hop costs, and how fast a relay's children
 * are back after it closes its tab. The broadcaster runs in a Chromium of its own, so that its CPU
 * time is its processes' alone; the audience shares a second one. The picture is the page's clock
 * ({@code airwaveDebug.shareClock}, 320×180 at 15 fps) with the fake microphone, small enough for
 * eight viewers and their relays on this machine; each viewer reads how old the frame it shows is
 * from that clock. Run: {@code mvn ... verify -Dit.test=RelayTreeBenchmark -Dexcluded.groups=none}
 * (and {@code -Drelay.bench.camera=true} for the camera, below).
 */
@Tag("browser")
@Tag("benchmark")
@Tag("integration")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@DisplayName("Relay tree: broadcaster CPU and bytes against audience size, delay per hop, repair")
class RelayTreeBenchmark {
  /**
   * With {@code -Drelay.bench.camera=true} the broadcaster sends Chromium's fake camera (640×480 at
   * 30 fps, a moving pattern) instead of the clock, to audiences of up to six: bitrates and CPU as
   * a camera costs them, and no frame ages (the pattern carries no clock).
   */
  private static final boolean CAMERA = Boolean.getBoolean("relay.bench.camera");

  private static final int[] AUDIENCES =
      CAMERA ? new int[] {1, 2, 4, 6} : new int[] {1, 2, 4, 6, 8};
  private static final Duration SETTLE = Duration.ofSeconds(4);
  private static final Duration WINDOW = Duration.ofSeconds(10);
  private static final int REPAIRS = 3;

  @Test
  @DisplayName("flat against the tree (directSlots 2, relaySlots 2)")
  void flatAgainstTree() {
    List<String> rows = new ArrayList<>();
    rows.add(
        "mode | viewers | broadcaster connections | broadcaster CPU (% of a core) | sent kbit/s | frame age ms by depth (median of viewers)");
    List<Long> repairs = new ArrayList<>();
    for (boolean relay : new boolean[] {false, true}) {
      run(relay, rows, repairs);
    }
    System.out.println("relay tree benchmark:");
    rows.forEach(System.out::println);
    System.out.println("relay closed its tab, children decoding again after (ms): " + repairs);
  }

  private void run(boolean relay, List<String> rows, List<Long> repairs) {
    JsonObject settings = new JsonObject().put("directSlots", 2).put("relaySlots", 2);
    try (ServiceUnderTest service = ServiceUnderTest.startForPages(settings);
        Browser hostBrowser = Browser.launch();
        Browser audience = Browser.launch()) {
      Window host = new Airwave<>(hostBrowser::open, service.baseUrl()).broadcast("bench", relay);
      if (!CAMERA) {
        host.script("airwaveDebug.shareClock({width: 320, height: 180, fps: 15})");
      }
      String hostId = String.valueOf(host.stats().get("peerId"));
      Airwave<Window> viewers = new Airwave<>(audience::open, service.baseUrl());
      List<Window> watching = new ArrayList<>();
      for (int size : AUDIENCES) {
        while (watching.size() < size) {
          Window viewer = viewers.watch("Viewer " + (watching.size() + 1), "bench");
          Airwave.awaitPlaying(viewer);
          watching.add(viewer);
        }
        Window.pause(SETTLE);
        Duration cpuBefore = hostBrowser.cpuTime();
        Map<String, Object> sentBefore = outbound(host);
        long started = System.nanoTime();
        Window.pause(WINDOW);
        Duration cpu = hostBrowser.cpuTime().minus(cpuBefore);
        Map<String, Object> sent = outbound(host);
        double seconds = (System.nanoTime() - started) / 1e9;
        double kbits = (number(sent, "bytes") - number(sentBefore, "bytes")) * 8 / seconds / 1000;
        rows.add(
            String.format(
                "%s | %d | %d | %.0f | %.0f | %s",
                relay ? "tree" : "flat",
                size,
                number(sent, "connections"),
                cpu.toNanos() / 1e9 / seconds * 100,
                kbits,
                agesByDepth(watching, hostId)));
      }
      if (relay) {
        measureRepairs(viewers, watching, hostId, repairs);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> outbound(Window host) {
    return (Map<String, Object>) host.script("return airwaveDebug.outbound()");
  }

  /** The median frame age of the viewers at each depth (1: fed by the broadcaster). */
  private static Map<Integer, Long> agesByDepth(List<Window> viewers, String hostId) {
    Map<String, String> parents = new HashMap<>();
    for (Window viewer : viewers) {
      Object parent = viewer.viewerStats().get("parentId");
      parents.put(peerId(viewer), parent == null || "".equals(parent) ? hostId : (String) parent);
    }
    Map<Integer, List<Long>> ages = new TreeMap<>();
    for (Window viewer : viewers) {
      int depth = 1;
      for (String at = parents.get(peerId(viewer)); !hostId.equals(at); at = parents.get(at)) {
        depth++;
      }
      ages.computeIfAbsent(depth, d -> new ArrayList<>()).add(frameAge(viewer));
    }
    Map<Integer, Long> medians = new TreeMap<>();
    ages.forEach((depth, list) -> medians.put(depth, median(list)));
    return medians;
  }

  /** The median of nine readings of how old the shown frame is, 70 ms apart. */
  private static long frameAge(Window viewer) {
    List<Long> readings = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      Object age = viewer.script("return airwaveDebug.frameAge()");
      if (age instanceof Number n) {
        readings.add(n.longValue());
      }
      Window.pause(Duration.ofMillis(70));
    }
    return readings.isEmpty() ? -1 : median(readings);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static String peerId(Window page) {
    return String.valueOf(page.stats().get("peerId"));
  }

  /**
   * Closes a viewer that feeds others, times until each of its children decodes from a new feeder,
   * and brings a new viewer in to keep the audience's size; {@link #REPAIRS} times.
   */
  @SuppressWarnings("unchecked")
  private static void measureRepairs(
      Airwave<Window> viewers, List<Window> watching, String hostId, List<Long> repairs) {
    for (int round = 0; round < REPAIRS; round++) {
      Window relay =
          watching.stream()
              .filter(v -> !((List<String>) v.viewerStats().get("children")).isEmpty())
              .findFirst()
              .orElseThrow();
      List<String> childIds = (List<String>) relay.viewerStats().get("children");
      List<Window> children = watching.stream().filter(v -> childIds.contains(peerId(v))).toList();
      Map<Window, Long> serials = new HashMap<>();
      children.forEach(c -> serials.put(c, number(c.viewerStats(), "pcSerial")));
      long closed = System.nanoTime();
      relay.close();
      watching.remove(relay);
      for (Window child : children) {
        long serial = serials.get(child);
        child.await(
            "frames from a new feeder",
            Airwave.SHORT,
            w -> {
              Map<String, Object> v = w.viewerStats();
              return number(v, "pcSerial") != serial && number(v, "framesDecoded") > 0;
            });
        repairs.add((System.nanoTime() - closed) / 1_000_000);
      }
      Window replacement = viewers.watch("Replacement " + round, "bench");
      Airwave.awaitPlaying(replacement);
      watching.add(replacement);
      Window.pause(SETTLE);
    }
  }
}
