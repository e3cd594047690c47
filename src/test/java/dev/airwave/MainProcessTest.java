package dev.airwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.testing.BridgeClient;
import dev.airwave.testing.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The service as a process: settings errors, start and SIGTERM")
@Tag("integration")
class MainProcessTest {
  @TempDir Path dir;

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=src/main/resources/logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(Path.of("").toAbsolutePath().toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.log").toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("AIRWAVE_"));
    // the warm-up has its own test; these are about settings, start and stop
    builder.environment().put("AIRWAVE_WARMUP_MS", "0");
    builder.environment().putAll(env);
    return builder.start();
  }

  private String output() throws IOException {
    return Files.readString(dir.resolve("out.log"));
  }

  @Test
  @DisplayName("an unknown key in the file stops the start with one line naming it and exit code 2")
  void unknownKeyStopsTheStart() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"port\": 0, \"colour\": \"red\"}");
    Process process = start(Map.of(), file.toString());
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue());
    String out = output();
    assertTrue(out.contains("cannot start: unknown setting \"colour\""), out);
    assertFalse(out.contains("Exception"), out);
  }

  @Test
  @DisplayName("an invalid environment variable stops the start the same way")
  void invalidVariableStopsTheStart() throws Exception {
    Process process =
        start(Map.of("AIRWAVE_MAX_CHANNELS", "lots"), dir.resolve("none.json").toString());
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue());
    assertTrue(output().contains("AIRWAVE_MAX_CHANNELS"), this::safeOutput);
  }

  @Test
  @DisplayName("on SIGTERM the service tells members their channel ends, then exits")
  void sigtermIsGraceful() throws Exception {
    int port = Ports.free();
    Process process =
        start(
            Map.of(
                "AIRWAVE_PORT", String.valueOf(port),
                "AIRWAVE_HOST", "127.0.0.1",
                "AIRWAVE_METRICS_PORT", "0"),
            dir.resolve("none.json").toString());
    Vertx vertx = Vertx.vertx();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!output().contains("airwave ready") && System.nanoTime() < deadline) {
        assertTrue(process.isAlive(), this::safeOutput);
        Thread.sleep(100);
      }
      try (BridgeClient broadcaster = BridgeClient.ready(vertx, port)) {
        broadcaster.request("airwave.channel.create", new JsonObject().put("id", "term"));
        process.destroy();
        assertEquals("shutdown", broadcaster.next("channel-ended").getString("reason"));
        assertTrue(process.waitFor(15, TimeUnit.SECONDS), "did not exit after SIGTERM");
      }
      String out = output();
      assertTrue(out.contains("channel ended id=term reason=shutdown"), out);
      assertTrue(out.contains("stopped"), out);
    } finally {
      process.destroyForcibly();
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("AIRWAVE_LOG_FORMAT=json writes one JSON object a line")
  void jsonLogs() throws Exception {
    int port = Ports.free();
    Process process =
        start(
            Map.of(
                "AIRWAVE_PORT", String.valueOf(port),
                "AIRWAVE_HOST", "127.0.0.1",
                "AIRWAVE_METRICS_PORT", "0",
                "AIRWAVE_LOG_FORMAT", "json"),
            dir.resolve("none.json").toString());
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!output().contains("airwave ready") && System.nanoTime() < deadline) {
        assertTrue(process.isAlive(), this::safeOutput);
        Thread.sleep(100);
      }
      process.destroy();
      assertTrue(process.waitFor(15, TimeUnit.SECONDS));
      List<String> lines = output().lines().filter(l -> !l.isBlank()).toList();
      for (String line : lines) {
        JsonObject entry = new JsonObject(line);
        assertTrue(entry.containsKey("level") && entry.containsKey("formattedMessage"), line);
      }
      assertTrue(
          lines.stream()
              .anyMatch(
                  l -> new JsonObject(l).getString("formattedMessage").startsWith("airwave ready")),
          lines::toString);
    } finally {
      process.destroyForcibly();
    }
  }

  @ParameterizedTest(name = "warm-up {0} ms")
  @ValueSource(ints = {0, 30_000})
  @DisplayName("a port already taken stops the start at once with exit code 1 and one line")
  void portInUse(int warmupMs) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Process process =
          start(
              Map.of(
                  "AIRWAVE_PORT",
                  String.valueOf(taken.getLocalPort()),
                  "AIRWAVE_HOST",
                  "127.0.0.1",
                  "AIRWAVE_METRICS_PORT",
                  "0",
                  "AIRWAVE_WARMUP_MS",
                  String.valueOf(warmupMs)),
              dir.resolve("none.json").toString());
      try {
        // well before a 30 s warm-up would end: the taken port is found first
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the process hung on a failed start");
        assertEquals(1, process.exitValue(), this::safeOutput);
        assertTrue(output().contains("airwave: cannot start: "), this::safeOutput);
      } finally {
        process.destroyForcibly();
      }
    }
  }

  private String safeOutput() {
    try {
      return output();
    } catch (IOException e) {
      return e.toString();
    }
  }
}
