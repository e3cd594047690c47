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
 * Measures, inside the viewer page, the time from pressing Join to the first decoded video frame.
 * Run: {@code mvn ... verify -Dit.test=JoinToFirstFrameBenchmark -Dexcluded.groups=none}.
 */
@Tag("browser")
@Tag("benchmark")
@Tag("integration")
@DisplayName("Join to first frame")
class JoinToFirstFrameBenchmark {
  private static final int RUNS = 10;

  /** Clicks Join, then polls the page's stats every 5 ms until a frame is decoded. */
  private static final String MEASURE =
      """
      const done = arguments[arguments.length - 1];
      const started = performance.now();
      document.getElementById('join-button').click();
      const poll = async () => {
        const stats = await airwaveDebug.stats();
        if (stats.viewer.framesDecoded > 0) done(performance.now() - started);
        else if (performance.now() - started > 15000) done(-1);
        else setTimeout(poll, 5);
      };
      poll();
      """;

  @Test
  @DisplayName("median of 10 joins on loopback")
  void joinToFirstFrame() {
    try (ServiceUnderTest service = ServiceUnderTest.startForPages(new JsonObject());
        Browser browser = Browser.launch()) {
      Airwave<Window> airwave = new Airwave<>(browser::open, service.baseUrl());
      airwave.broadcast("bench");
      List<Double> times = new ArrayList<>();
      for (int run = 0; run < RUNS; run++) {
        Window viewer = browser.open(service.baseUrl() + "/?viewer=true");
        viewer.await("the connection", Airwave.SHORT, Airwave::connected);
        viewer.type("display-name-input", "Viewer" + run);
        viewer.type("join-id-input", "bench");
        double ms = ((Number) viewer.focus().executeAsyncScript(MEASURE)).doubleValue();
        times.add(ms);
        viewer.close();
      }
      List<Double> sorted = times.stream().sorted().toList();
      double median = (sorted.get(RUNS / 2 - 1) + sorted.get(RUNS / 2)) / 2;
      System.out.printf("join-to-first-frame ms: runs=%s median=%.0f%n", times, median);
      assertEquals(0, times.stream().filter(t -> t < 0).count(), "every run got a frame");
    }
  }
}
