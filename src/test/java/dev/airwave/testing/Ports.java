package dev.airwave.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1, for servers a test starts with a port of its own. They are drawn
 * below Linux's ephemeral range (32768-60999): a port handed out from that range can be taken by
 * any outgoing connection or port-0 bind (Hazelcast's, the event bus's) before the server that was
 * meant to have it binds it, and a node then fails to start with "Address already in use".
 */
public final class Ports {
  private static final int LOWEST = 20_000;
  private static final int ABOVE_HIGHEST = 32_768;

  private Ports() {}

  public static int free() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, ABOVE_HIGHEST);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IllegalStateException("no free port between " + LOWEST + " and " + ABOVE_HIGHEST);
  }
}
