package dev.airwave.browser;

import dev.airwave.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Debian's coturn on 127.0.0.1 with a random shared secret (TURN REST credentials), run as a child
 * process whose pid file, database and log stay in a folder of the build.
 */
final class Coturn implements AutoCloseable {
  private static final String BINARY = "/usr/bin/turnserver";
  private static final Duration READY = Duration.ofSeconds(10);
  private static final Duration STOP = Duration.ofSeconds(5);
  private static final int RELAY_PORTS = 200;
  private static final int MAGIC_COOKIE = 0x2112A442;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Process process;
  private final int port;
  private final String secret;
  private final Path log;

  private Coturn(Process process, int port, String secret, Path log) {
    this.process = process;
    this.port = port;
    this.secret = secret;
    this.log = log;
  }

  /** Starts coturn in {@code folder} and returns once it answers a STUN binding request. */
  static Coturn start(Path folder) throws IOException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(BINARY + " is missing: install Debian's coturn package");
    }
    Files.createDirectories(folder);
    int port = freePort(10_000, 19_999);
    int minPort = 20_000 + RANDOM.nextInt(40) * RELAY_PORTS;
    byte[] secretBytes = new byte[24];
    RANDOM.nextBytes(secretBytes);
    String secret = HexFormat.of().formatHex(secretBytes);
    Path log = folder.resolve("turnserver.log");
    List<String> command =
        List.of(
            BINARY,
            "-n",
            "--listening-ip=127.0.0.1",
            "--relay-ip=127.0.0.1",
            "--listening-port=" + port,
            "--min-port=" + minPort,
            "--max-port=" + (minPort + RELAY_PORTS - 1),
            "--use-auth-secret",
            "--static-auth-secret=" + secret,
            "--realm=airwave.test",
            "--allow-loopback-peers",
            "--no-cli",
            "--no-tls",
            "--no-dtls",
            "--fingerprint",
            "--no-tcp-relay",
            "--no-software-attribute",
            "--log-file=stdout",
            "--simple-log",
            "--pidfile=" + folder.resolve("turnserver.pid"),
            "--db=" + folder.resolve("turndb"));
    Process process =
        new ProcessBuilder(command)
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Coturn turn = new Coturn(process, port, secret, log);
    try {
      turn.awaitListening();
    } catch (RuntimeException | IOException e) {
      turn.close();
      throw e;
    }
    return turn;
  }

  /** The URL a page gives RTCPeerConnection. */
  String url() {
    return "turn:127.0.0.1:" + port + "?transport=udp";
  }

  String secret() {
    return secret;
  }

  /** The TURN REST password for this username: base64(HMAC-SHA1(secret, username)). */
  String password(String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA1 is part of every Java runtime", e);
    }
  }

  /** Stops coturn: a polite signal first, then a kill if it does not exit in time. */
  @Override
  public void close() {
    Processes.stop(process, STOP);
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + READY.toNanos();
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout(100);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("turnserver exited early:\n" + logText());
        }
        if (answersBinding(socket)) {
          return;
        }
      }
    }
    throw new IllegalStateException(
        "turnserver did not answer within " + READY + ":\n" + logText());
  }

  private boolean answersBinding(DatagramSocket socket) throws IOException {
    byte[] transaction = new byte[12];
    RANDOM.nextBytes(transaction);
    ByteBuffer request = ByteBuffer.allocate(20);
    request.putShort((short) 0x0001).putShort((short) 0).putInt(MAGIC_COOKIE).put(transaction);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    socket.send(new DatagramPacket(request.array(), 20, loopback, port));
    byte[] reply = new byte[1024];
    DatagramPacket packet = new DatagramPacket(reply, reply.length);
    try {
      socket.receive(packet);
    } catch (SocketTimeoutException e) {
      return false;
    }
    ByteBuffer response = ByteBuffer.wrap(reply, 0, packet.getLength());
    return packet.getLength() >= 20 && response.getShort(0) == 0x0101;
  }

  private String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port in [from, to] free for both UDP and TCP on 127.0.0.1 (coturn listens on both). */
  private static int freePort(int from, int to) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = from + RANDOM.nextInt(to - from + 1);
      try (DatagramSocket udp = new DatagramSocket(port, loopback);
          ServerSocket tcp = new ServerSocket(port, 1, loopback)) {
        if (udp.isBound() && tcp.isBound()) {
          return port;
        }
      } catch (IOException e) {
        // taken; try another
      }
    }
    throw new IllegalStateException("no free port between " + from + " and " + to);
  }
}
