package dev.airwave.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.testing.Http;
import dev.airwave.testing.Ports;
import dev.airwave.testing.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/airwave}, the README's way to run a node, on the packaged jar: it picks Java 25 (which
 * this machine kind carries), trains the ahead-of-time cache once, and runs the node with the
 * settings that docs/benchmarks.md measured.
 */
@Tag("jar")
@Tag("integration")
@DisplayName("bin/airwave runs the jar on Java 25 from an ahead-of-time cache")
class LauncherTest {
  private static final Path LAUNCHER = Path.of("bin", "airwave").toAbsolutePath();
  private static final Path JAR = Path.of("target", "airwave.jar").toAbsolutePath();

  @TempDir Path dir;

  @Test
  @DisplayName("trains the cache once per jar, then a node starts from it and stops on SIGTERM")
  void trainsOnceThenRuns() throws Exception {
    Path jar = dir.resolve("airwave.jar");
    Files.copy(JAR, jar);
    Path cache = dir.resolve("airwave.aot");

    Run prepared = run(jar, Map.of(), "--prepare");
    assertEquals(0, prepared.exit(), prepared.output());
    assertTrue(prepared.output().contains("training the ahead-of-time cache"), prepared.output());
    assertTrue(Files.size(cache) > 1_000_000, "a cache of the loaded classes and profiles");
    String training = Files.readString(dir.resolve("airwave.aot.log"));
    assertTrue(
        training.matches("(?s).*warmed up: [1-9][0-9]* rounds.*"), "the crowd played: " + training);
    assertTrue(training.contains("AOTCache creation is complete"), "the JVM wrote the cache");
    FileTime made = Files.getLastModifiedTime(cache);

    Run again = run(jar, Map.of(), "--prepare");
    assertEquals(0, again.exit(), again.output());
    assertFalse(again.output().contains("training"), "an up-to-date cache is kept");
    assertEquals(made, Files.getLastModifiedTime(cache));

    int port = Ports.free();
    int operations = Ports.free();
    Path log = dir.resolve("node.log");
    ProcessBuilder builder = launcher(jar, Map.of()).redirectOutput(log.toFile());
    builder.environment().put("AIRWAVE_HOST", "127.0.0.1");
    builder.environment().put("AIRWAVE_PORT", Integer.toString(port));
    builder.environment().put("AIRWAVE_METRICS_PORT", Integer.toString(operations));
    builder.environment().put("AIRWAVE_WARMUP_MS", "0");
    Process node = builder.start();
    try {
      awaitReady(operations, node, log);
      String command =
          Files.readString(Path.of("/proc", Long.toString(node.pid()), "cmdline"))
              .replace('\0', ' ');
      assertTrue(command.contains("-XX:AOTCache=" + cache), command);
      assertTrue(command.contains("-XX:+UseSerialGC"), command);
      assertTrue(command.contains("-XX:+UseCompactObjectHeaders"), command);
      assertEquals(200, Http.get("http://127.0.0.1:" + port + "/health").statusCode());
      Processes.stop(node, Duration.ofSeconds(15));
      assertTrue(node.waitFor(15, TimeUnit.SECONDS));
      String output = Files.readString(log);
      assertTrue(output.contains("stopped"), output);
      // a cache the JVM cannot use is only a warning on its output: there must be none
      for (String complaint : List.of("[aot", "[cds", "AOTCache", "AOT cache", "CDS")) {
        assertFalse(output.contains(complaint), output);
      }
    } finally {
      node.destroyForcibly();
    }
  }

  @Test
  @DisplayName("a missing jar is a clear error, not a JVM stack trace")
  void missingJar() throws Exception {
    Run run = run(dir.resolve("nothing.jar"), Map.of(), "--prepare");
    assertEquals(2, run.exit());
    assertTrue(run.output().contains("no jar at"), run.output());
  }

  private record Run(int exit, String output) {}

  private Run run(Path jar, Map<String, String> env, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "run", ".log");
    Process process =
        launcher(jar, env, args).redirectOutput(out.toFile()).redirectErrorStream(true).start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the launcher did not finish: " + Files.readString(out));
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private static ProcessBuilder launcher(Path jar, Map<String, String> env, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("AIRWAVE_"));
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().put("AIRWAVE_JAR", jar.toString());
    builder.environment().putAll(env);
    return builder;
  }

  private static void awaitReady(int operations, Process node, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!node.isAlive()) {
        throw new AssertionError("the node exited: " + Files.readString(log));
      }
      try {
        if (Http.get("http://127.0.0.1:" + operations + "/health/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not ready in 60 s: " + Files.readString(log));
  }
}
