package dev.airwave.bench;

import static dev.airwave.testing.Signals.answer;
import static dev.airwave.testing.Signals.ice;
import static dev.airwave.testing.Signals.offer;

import dev.airwave.Main;
import dev.airwave.config.ConfigLoader;
import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.Ports;
import dev.airwave.testing.ServiceUnderTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node under a realistic signaling load, measured from outside: the service runs as its own
 * process (as in production) and the clients speak the bridge protocol over WebSockets on
 * 127.0.0.1. Run with {@code mvn verify -Dit.test=LoadBenchmark -Dexcluded.groups=none}.
 */
@Tag("benchmark")
@Tag("integration")
@DisplayName("Load on one node")
class LoadBenchmark {
  private static final int CHANNELS = 50;
  private static final int VIEWERS = 10;
  private static final int BURST = 100;
  private static final String SDP = "v=0\r\n" + "a=x\r\n".repeat(600);

  @TempDir Path dir;

  @Test
  @DisplayName("50 channels x 10 viewers: negotiation, chat fan-out, memory")
  void load() throws Exception {
    int port = Ports.free();
    int metricsPort = Ports.free();
    Process server = startServer(port, metricsPort);
    Vertx vertx = Vertx.vertx();
    List<BridgeClient> all = new ArrayList<>();
    try {
      awaitReady(port);
      long baseline = heapAfterGc(server, metricsPort);
      long[] offerToAnswer = new long[CHANNELS * VIEWERS];
      long started = System.nanoTime();
      int n = 0;
      for (int c = 0; c < CHANNELS; c++) {
        BridgeClient broadcaster = BridgeClient.ready(vertx, port);
        all.add(broadcaster);
        broadcaster.request("airwave.channel.create", new JsonObject().put("id", "load" + c));
        for (int v = 0; v < VIEWERS; v++) {
          BridgeClient viewer = BridgeClient.ready(vertx, port);
          all.add(viewer);
          viewer.request("airwave.channel.join", new JsonObject().put("id", "load" + c));
          broadcaster.next("viewer-joined");
          long t0 = System.nanoTime();
          broadcaster.request("airwave.signal", offer(viewer.peerId(), SDP));
          viewer.next("offer");
          viewer.request("airwave.signal", answer(broadcaster.peerId(), SDP));
          broadcaster.next("answer");
          offerToAnswer[n++] = System.nanoTime() - t0;
          for (int i = 0; i < 4; i++) {
            broadcaster.request("airwave.signal", ice(viewer.peerId(), "candidate:" + i));
            viewer.request("airwave.signal", ice(broadcaster.peerId(), "candidate:" + i));
          }
        }
      }
      double setupSeconds = (System.nanoTime() - started) / 1e9;
      int messages = CHANNELS * VIEWERS * (2 + 8);
      long chatStart = System.nanoTime();
      for (int c = 0; c < CHANNELS; c++) {
        all.get(c * (VIEWERS + 1))
            .request("airwave.chat.send", new JsonObject().put("text", "hello"));
      }
      for (BridgeClient client : all) {
        client.next("chat", Duration.ofSeconds(10));
      }
      double chatMs = (System.nanoTime() - chatStart) / 1e6;
      double burstRate = burst(all);
      long loaded = heapAfterGc(server, metricsPort);
      long rss = rssBytes(server);
      Arrays.sort(offerToAnswer);
      System.out.printf(
          "sockets %d (%d channels x %d viewers + broadcasters)%n"
              + "negotiation of every viewer (join, offer, answer, 8 ICE), one client at a time: %.1f s,"
              + " %.0f relayed signals/s%n"
              + "offer+answer round p50 %.2f ms, p99 %.2f ms (SDP %d bytes)%n"
              + "chat fan-out: %d messages to %d members in %.0f ms%n"
              + "burst: every broadcaster fires %d ICE candidates at each viewer without waiting:"
              + " %.0f relayed signals/s%n"
              + "server heap after GC: %.1f MB idle, %.1f MB loaded, %.1f KB per socket; RSS %.0f MB%n",
          all.size(),
          CHANNELS,
          VIEWERS,
          setupSeconds,
          messages / setupSeconds,
          offerToAnswer[offerToAnswer.length / 2] / 1e6,
          offerToAnswer[(int) (offerToAnswer.length * 0.99)] / 1e6,
          SDP.length(),
          CHANNELS,
          all.size(),
          chatMs,
          BURST,
          burstRate,
          baseline / 1e6,
          loaded / 1e6,
          (loaded - baseline) / 1e3 / all.size(),
          rss / 1e6);
    } finally {
      for (BridgeClient client : all) {
        try {
          client.close();
        } catch (RuntimeException e) {
          // the benchmark is ending anyway
        }
      }
      vertx.close().await();
      server.destroy();
      if (!server.waitFor(15, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  /** Fire-and-forget signals (no reply address) from every broadcaster, timed to the last one. */
  private static double burst(List<BridgeClient> all) {
    long start = System.nanoTime();
    for (int c = 0; c < CHANNELS; c++) {
      BridgeClient broadcaster = all.get(c * (VIEWERS + 1));
      for (int v = 1; v <= VIEWERS; v++) {
        String to = all.get(c * (VIEWERS + 1) + v).peerId();
        for (int i = 0; i < BURST; i++) {
          broadcaster.sendFrame(
              new JsonObject()
                  .put("type", "send")
                  .put("address", "airwave.signal")
                  .put("body", ice(to, "candidate:burst" + i)));
        }
      }
    }
    for (int c = 0; c < CHANNELS; c++) {
      for (int v = 1; v <= VIEWERS; v++) {
        BridgeClient viewer = all.get(c * (VIEWERS + 1) + v);
        for (int i = 0; i < BURST; i++) {
          viewer.next("ice", Duration.ofSeconds(30));
        }
      }
    }
    return CHANNELS * VIEWERS * BURST / ((System.nanoTime() - start) / 1e9);
  }

  private Process startServer(int port, int metricsPort) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                dir.resolve("none.json").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("AIRWAVE_"));
    builder.environment().put("AIRWAVE_HOST", "127.0.0.1");
    builder.environment().put("AIRWAVE_PORT", String.valueOf(port));
    builder.environment().put("AIRWAVE_METRICS_PORT", String.valueOf(metricsPort));
    builder.environment().put("AIRWAVE_LOG_LEVEL", "WARN");
    builder.environment().put("AIRWAVE_MAX_VIEWERS_PER_CHANNEL", String.valueOf(VIEWERS));
    builder.environment().put("AIRWAVE_MAX_HANDLERS_PER_SOCKET", "1024");
    ServiceUnderTest.ONE_MACHINE_MANY_USERS.forEach(
        e -> builder.environment().put(ConfigLoader.envName(e.getKey()), e.getValue().toString()));
    builder.environment().put("AIRWAVE_SIGNAL_PER_SECOND", "1000000");
    builder.environment().put("AIRWAVE_SIGNAL_BURST", "100000");
    return builder.start();
  }

  private static void awaitReady(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        var ready =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .build(),
                BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("server did not become ready");
  }

  /** Heap in use after a full GC in the server, read with jcmd and the metrics endpoint. */
  private static long heapAfterGc(Process server, int metricsPort) throws Exception {
    Process gc =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(server.pid()),
                "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    gc.waitFor(30, TimeUnit.SECONDS);
    Thread.sleep(1500);
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .build(),
                BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static long rssBytes(Process server) throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", String.valueOf(server.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }
}
