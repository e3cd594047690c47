package dev.airwave.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the edge turned away, for Prometheus: connections over the per-address cap or without a
 * request in time, sockets over the per-address cap, and malformed bridge frames, by reason. The
 * reasons are a fixed set of codes, so the series stay few.
 */
final class EdgeMetrics {
  private final MeterRegistry meters;
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();

  /**
   * @param meters where the counters go, or null when metrics are off
   */
  EdgeMetrics(MeterRegistry meters) {
    this.meters = meters != null ? meters : new CompositeMeterRegistry();
  }

  void refused(String reason) {
    refused
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("airwave.edge.refused")
                    .description(
                        "Connections, sockets and bridge frames the edge refused, by reason")
                    .tag("reason", r)
                    .register(meters))
        .increment();
  }
}
