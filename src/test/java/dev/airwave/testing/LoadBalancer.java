package dev.airwave.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Debian's HAProxy, run as a child process on a free port of 127.0.0.1 in front of nodes on
 * 127.0.0.1, with the shipped {@code deploy/haproxy.cfg} of which only the {@code bind} line and
 * the {@code server} lines are replaced: every other setting the tests meet is the deployed one.
 */
public final class LoadBalancer implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/haproxy");
  private static final Path SHIPPED = Path.of("deploy", "haproxy.cfg");
  private static final Duration READY = Duration.ofSeconds(10);
  private static final Duration STOP = Duration.ofSeconds(5);

  private final Process process;
  private final int port;
  private final Path log;

  private LoadBalancer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts HAProxy in front of these nodes (named {@code node1}, {@code node2}, ... in its log, in
   * this order), each checked on its own operations port, and returns once it serves a request.
   */
  public static LoadBalancer start(ServiceUnderTest... nodes) {
    return start(
        Arrays.stream(nodes).map(node -> new Backend(node.port(), node.operationsPort())).toList());
  }

  /** The same in front of cluster nodes from the built jar. */
  public static LoadBalancer start(ClusterNode... nodes) {
    return start(
        Arrays.stream(nodes).map(node -> new Backend(node.port(), node.operationsPort())).toList());
  }

  /** A node as the load balancer sees it: its main port and its operations port. */
  record Backend(int port, int operationsPort) {}

  private static LoadBalancer start(List<Backend> nodes) {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: apt-get install -y haproxy");
    }
    int port = Ports.free();
    try {
      Path folder = Files.createDirectories(buildFolder().resolve("haproxy").resolve("" + port));
      Path config = folder.resolve("haproxy.cfg");
      Files.writeString(config, config(Files.readString(SHIPPED), port, nodes));
      Path log = folder.resolve("haproxy.log");
      Process process =
          new ProcessBuilder(BINARY.toString(), "-db", "-f", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      LoadBalancer balancer = new LoadBalancer(process, port, log);
      try {
        balancer.awaitServing();
      } catch (RuntimeException e) {
        balancer.close();
        throw e;
      }
      return balancer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shipped configuration with this listening port and these nodes. */
  static String config(String shipped, int port, List<Backend> nodes) {
    List<String> lines = new ArrayList<>();
    int binds = 0;
    boolean serversWritten = false;
    for (String line : shipped.split("\n", -1)) {
      String setting = line.strip();
      if (setting.startsWith("bind ")) {
        binds++;
        lines.add("    bind 127.0.0.1:" + port);
      } else if (setting.startsWith("server ")) {
        if (!serversWritten) {
          for (int i = 0; i < nodes.size(); i++) {
            Backend node = nodes.get(i);
            lines.add(
                "    server node%d 127.0.0.1:%d port %d"
                    .formatted(i + 1, node.port(), node.operationsPort()));
          }
          serversWritten = true;
        }
      } else {
        lines.add(line);
      }
    }
    if (binds != 1 || !serversWritten) {
      throw new IllegalStateException(
          SHIPPED + " no longer has one bind line and a list of server lines: adapt LoadBalancer");
    }
    return String.join("\n", lines);
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** What HAProxy has written so far: its warnings, request log and server state changes. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops HAProxy: SIGTERM, then a kill if it does not exit in time. */
  @Override
  public void close() {
    Processes.stop(process, STOP);
  }

  private void awaitServing() {
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("haproxy exited early:\n" + log());
      }
      try {
        if (Http.get(baseUrl() + "/health/live").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      pause();
    }
    throw new IllegalStateException("haproxy did not serve within " + READY + ":\n" + log());
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code <build dir>}: the parent of test-classes, whatever build.dir says. */
  private static Path buildFolder() {
    try {
      return Path.of(LoadBalancer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
