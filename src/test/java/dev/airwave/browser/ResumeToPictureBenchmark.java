package dev.airwave.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures how long viewers go without a picture when their broadcaster reloads its page: from the
 * reload to each viewer's first decoded frame on its new connection, and when the reloaded page was
 * live again. Run: {@code mvn ... verify -Dit.test=ResumeToPictureBenchmark
 * -Dexcluded.groups=none}.
 */
@Tag("browser")
@Tag("benchmark")
@Tag("integration")
@DisplayName("Broadcaster reload to the viewers' picture")
class ResumeToPictureBenchmark {
  private static final int RUNS = 6;
  private static final int VIEWERS = 2;

  /** Watches, every 10 ms, for frames on a connection other than the one playing now. */
  private static final String WATCH =
      """
      window.pictureBack = 0;
      const before = (await airwaveDebug.stats()).viewer.pcSerial;
      const poll = async () => {
        const v = (await airwaveDebug.stats()).viewer;
        if (v.pcSerial !== before && v.state === 'playing' && v.framesDecoded > 0) {
          window.pictureBack = Date.now();
        } else {
          setTimeout(poll, 10);
        }
      };
      poll();
      """;

  @Test
  @DisplayName("reloads of a broadcaster with two viewers on loopback")
  void reloadToPicture() {
    try (ServiceUnderTest service = ServiceUnderTest.startForPages(new JsonObject());
        Browser browser = Browser.launch()) {
      Airwave<Window> airwave = new Airwave<>(browser::open, service.baseUrl());
      Window host = airwave.broadcast("bench");
      List<Window> viewers = new ArrayList<>();
      for (int i = 0; i < VIEWERS; i++) {
        Window viewer = airwave.watch("Viewer" + i, "bench");
        Airwave.awaitPlaying(viewer);
        viewers.add(viewer);
      }
      List<String> runs = new ArrayList<>();
      for (int run = 0; run < RUNS; run++) {
        for (Window viewer : viewers) {
          viewer
              .focus()
              .executeAsyncScript(
                  "const done = arguments[arguments.length - 1];"
                      + " (async () => {"
                      + WATCH
                      + "})().then(() => done(true));");
        }
        long reload = System.currentTimeMillis();
        host.focus().navigate().refresh();
        Airwave.awaitLive(host, "bench");
        long live = System.currentTimeMillis() - reload;
        List<Long> back = new ArrayList<>();
        for (Window viewer : viewers) {
          viewer.await(
              "the picture back",
              Airwave.PLAY,
              w -> ((Number) w.script("return window.pictureBack")).longValue() > 0);
          back.add(((Number) viewer.script("return window.pictureBack")).longValue() - reload);
        }
        String marks =
            String.valueOf(
                host.script(
                    "return performance.getEntriesByType('mark').map((m) => m.name.replace('airwave ', '')"
                        + " + '@' + Math.round(performance.timeOrigin + m.startTime - arguments[0]))"
                        + ".join(' ')",
                    reload));
        String viewerMarks =
            String.valueOf(
                viewers
                    .get(0)
                    .script(
                        "return performance.getEntriesByType('mark').filter((m) =>"
                            + " performance.timeOrigin + m.startTime > arguments[0])"
                            + ".map((m) => m.name.replace('airwave ', '')"
                            + " + '@' + Math.round(performance.timeOrigin + m.startTime - arguments[0]))"
                            + ".join(' ')",
                        reload));
        String loading =
            String.valueOf(
                host.script(
                    "const n = performance.getEntriesByType('navigation')[0];"
                        + " const o = performance.timeOrigin - arguments[0];"
                        + " const r = performance.getEntriesByType('resource');"
                        + " return 'start@' + Math.round(o) + ' response@' + Math.round(o + n.responseEnd)"
                        + " + ' interactive@' + Math.round(o + n.domInteractive)"
                        + " + ' loaded@' + Math.round(o + n.loadEventEnd)"
                        + " + ' ' + r.map((e) => e.name.replace(/.*\\//, '') + '@' + Math.round(o + e.startTime)"
                        + " + '-' + Math.round(o + e.responseEnd)).join(' ')",
                    reload));
        runs.add(
            "load: "
                + loading
                + "\n  live~"
                + live
                + " picture="
                + back
                + "\n  host: "
                + marks
                + "\n  viewer0: "
                + viewerMarks);
      }
      System.out.printf("reload-to-picture ms:%n%s%n", String.join("\n", runs));
      assertEquals(RUNS, runs.size());
    }
  }
}
