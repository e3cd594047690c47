package dev.airwave.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One node of a test cluster: the built jar ({@code target/airwave.jar}) in a process of its own,
 * on free ports of 127.0.0.1, clustered with the nodes listed when it starts. Its log goes to
 * {@code target/cluster-logs/<name>.log}. Tests kill it (SIGKILL), pause it (SIGSTOP) or stop it
 * (SIGTERM); it is always stopped on close.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Path JAR = Path.of("target", "airwave.jar");
  private static final Path LOGS = Path.of("target", "cluster-logs");
  private static final Duration START = Duration.ofSeconds(40);

  private final String name;
  private final int port;
  private final int operationsPort;
  private final int clusterPort;
  private final Process process;
  private final String logFile;

  private ClusterNode(
      String name, int port, int operationsPort, int clusterPort, Process process, String logFile) {
    this.name = name;
    this.logFile = logFile;
    this.port = port;
    this.operationsPort = operationsPort;
    this.clusterPort = clusterPort;
    this.process = process;
  }

  /** Free cluster ports for {@code count} nodes, to list them as members before they start. */
  public static List<Integer> clusterPorts(int count) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ports.add(Ports.free());
    }
    return ports;
  }

  /**
   * Starts a node on {@code clusterPort} that joins the members on {@code memberPorts}, with the
   * per-address quotas raised (every test client is 127.0.0.1) and these settings on top.
   */
  public static ClusterNode start(
      String name, int clusterPort, List<Integer> memberPorts, Map<String, String> settings) {
    IntegrationRun.require("a node process");
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR + " is missing: cluster tests run after `mvn package`");
    }
    int port = Ports.free();
    int operationsPort = Ports.free();
    Map<String, String> env = new HashMap<>();
    env.put("AIRWAVE_HOST", "127.0.0.1");
    env.put("AIRWAVE_PORT", Integer.toString(port));
    env.put("AIRWAVE_METRICS_PORT", Integer.toString(operationsPort));
    env.put("AIRWAVE_EDGE_INSTANCES", "1");
    env.put("AIRWAVE_WARMUP_MS", "0");
    env.put("AIRWAVE_MAX_SOCKETS_PER_ADDRESS", "100000");
    env.put("AIRWAVE_MAX_CONNECTIONS_PER_ADDRESS", "100000");
    env.put("AIRWAVE_MAX_CHANNELS_PER_ADDRESS", "100000");
    env.put("AIRWAVE_MAX_VIEWERS_PER_CHANNEL_PER_ADDRESS", "10000");
    env.put("AIRWAVE_MAX_WAITING_IDS_PER_ADDRESS", "100000");
    env.put("AIRWAVE_CLUSTER_ENABLED", "true");
    env.put("AIRWAVE_CLUSTER_HOST", "127.0.0.1");
    env.put("AIRWAVE_CLUSTER_PORT", Integer.toString(clusterPort));
    env.put(
        "AIRWAVE_CLUSTER_MEMBERS",
        memberPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    env.put("AIRWAVE_CLUSTER_NAME", "test-" + memberPorts.get(0));
    env.putAll(settings);
    try {
      Files.createDirectories(LOGS);
      ProcessBuilder builder =
          new ProcessBuilder(
                  javaBinary(),
                  "-Xmx192m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-jar",
                  JAR.toString(),
                  "conf/config.json")
              .redirectErrorStream(true)
              .redirectOutput(LOGS.resolve(logName(name, memberPorts)).toFile());
      builder.environment().keySet().removeIf(key -> key.startsWith("AIRWAVE_"));
      builder.environment().putAll(env);
      return new ClusterNode(
          name, port, operationsPort, clusterPort, builder.start(), logName(name, memberPorts));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One log per node and cluster (named by its first member port), so runs do not overwrite. */
  private static String logName(String name, List<Integer> memberPorts) {
    return memberPorts.get(0) + "-" + name + ".log";
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public int operationsPort() {
    return operationsPort;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int clusterPort() {
    return clusterPort;
  }

  public long pid() {
    return process.pid();
  }

  /** Waits until the node is ready and sees {@code members} cluster members. */
  public ClusterNode awaitReady(int members) {
    long deadline = System.nanoTime() + START.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + "; see its log");
      }
      JsonObject health = health();
      if (health != null) {
        last = health.encode();
        JsonObject cluster = health.getJsonObject("cluster");
        if ("UP".equals(health.getString("status"))
            && cluster != null
            && cluster.getInteger("members", 0) == members) {
          return this;
        }
      }
      pause(100);
    }
    throw new AssertionError(name + " not ready with " + members + " members: " + last);
  }

  /** The node's {@code /health/ready} answer (UP or DOWN), or null when it does not answer. */
  public JsonObject health() {
    try {
      HttpResponse<String> response =
          Http.get("http://127.0.0.1:" + operationsPort + "/health/ready");
      return new JsonObject(response.body());
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** SIGKILL: the node vanishes without a word to anyone. */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** SIGSTOP: the node hangs with its sockets open. */
  public void suspend() {
    signal("STOP");
  }

  /** SIGCONT after {@link #suspend()}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      kill.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  private void waitFor() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The node's log so far, for assertion messages. */
  public String log() {
    try {
      return Files.readString(LOGS.resolve(logFile));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGTERM (after SIGCONT, in case it is paused), then SIGKILL if it is still up after 20 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    resume();
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", port " + port + ")";
  }
}
