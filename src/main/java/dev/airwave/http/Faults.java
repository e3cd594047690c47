package dev.airwave.http;

import io.vertx.core.net.SocketAddress;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket's tally of the faults its client caused (refused frames, library warnings), logged as
 * one line per kind with its count when the socket closes, however many frames it sent.
 */
final class Faults {
  private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

  private final Map<String, Integer> counts = new TreeMap<>();

  void count(String kind) {
    counts.merge(kind, 1, Integer::sum);
  }

  void report(SocketAddress client) {
    counts.forEach((kind, count) -> LOG.warn("socket from {} caused {} x {}", client, count, kind));
    counts.clear();
  }
}
