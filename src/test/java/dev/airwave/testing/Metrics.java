package dev.airwave.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/** Reading the Prometheus text of {@code /metrics}, whose gauges refresh every second. */
public final class Metrics {
  private static final Duration WAIT = Duration.ofSeconds(6);

  private Metrics() {}

  /** Scrapes until the text holds every expected part (bounded); answers the text. */
  public static String scrapeUntil(String url, String... expected) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String body;
    do {
      HttpResponse<String> response = Http.get(url);
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
      body = response.body();
      String text = body;
      if (Arrays.stream(expected).allMatch(text::contains)) {
        return body;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        "metrics never showed all of " + String.join(", ", expected) + ":\n" + body);
  }

  /** The value of an untagged metric in a scraped text. */
  public static double figure(String metrics, String name) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1)))
        .findFirst()
        .orElseThrow();
  }
}
