package dev.airwave.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registry's figures for Prometheus: channels, sockets by role, signals relayed, relay trees,
 * chat, refusals.
 */
final class RegistryMetrics {
  private static final String[] ROLES = {"broadcaster", "viewer", "waiting", "idle"};

  private final MeterRegistry meters;
  private final AtomicLong channels = new AtomicLong();
  private final AtomicLong paused = new AtomicLong();
  private final AtomicLong viewers = new AtomicLong();
  private final Map<String, AtomicLong> sockets = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> relay = new ConcurrentHashMap<>();
  private final AtomicLong relayMoves = new AtomicLong();
  private final Map<String, Counter> relayed = new ConcurrentHashMap<>();
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();
  private final Counter chat;
  private final Counter evictions;

  RegistryMetrics(MeterRegistry meters) {
    this.meters = meters;
    Gauge.builder("airwave.channels.live", channels, AtomicLong::get)
        .description("Channels whose broadcaster is connected")
        .register(meters);
    Gauge.builder("airwave.channels.paused", paused, AtomicLong::get)
        .description("Channels whose broadcaster is away, in its grace period")
        .register(meters);
    Gauge.builder("airwave.viewers", viewers, AtomicLong::get)
        .description("Viewers in started channels")
        .register(meters);
    for (String role : ROLES) {
      AtomicLong count = new AtomicLong();
      sockets.put(role, count);
      Gauge.builder("airwave.sockets", count, AtomicLong::get)
          .description("Connected sockets known to the registry, by role")
          .tag("role", role)
          .register(meters);
    }
    relayGauge("trees", "Channels whose viewers pass the stream on");
    relayGauge("viewers", "Viewers with a place in a relay tree");
    relayGauge("waiting", "Viewers of relaying channels waiting for a free slot");
    relayGauge("depth", "The deepest relay tree's depth (1: fed by the broadcaster)");
    FunctionCounter.builder("airwave.relay.moves", relayMoves, AtomicLong::get)
        .description("Viewers moved from one feeder to another, or to waiting (re-parents)")
        .register(meters);
    chat =
        Counter.builder("airwave.chat.messages").description("Chat messages sent").register(meters);
    evictions =
        Counter.builder("airwave.channels.evicted")
            .description("Channels evicted as idle")
            .register(meters);
  }

  private void relayGauge(String figure, String description) {
    AtomicLong value = new AtomicLong();
    relay.put(figure, value);
    Gauge.builder("airwave.relay." + figure, value, AtomicLong::get)
        .description(description)
        .register(meters);
  }

  void relayed(String type) {
    relayed
        .computeIfAbsent(
            type,
            t ->
                Counter.builder("airwave.signals.relayed")
                    .description("Offers, answers and ICE candidates relayed")
                    .tag("type", t)
                    .register(meters))
        .increment();
  }

  void chat() {
    chat.increment();
  }

  void refused(String reason) {
    refused
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("airwave.requests.refused")
                    .description("Requests refused, by error code")
                    .tag("reason", r)
                    .register(meters))
        .increment();
  }

  void evicted(int count) {
    evictions.increment(count);
  }

  void update(JsonObject status) {
    channels.set(status.getInteger("live"));
    paused.set(status.getInteger("paused"));
    viewers.set(status.getInteger("viewers"));
    for (String role : ROLES) {
      sockets.get(role).set(status.getJsonObject("sockets").getInteger(role));
    }
    JsonObject trees = status.getJsonObject("relay");
    relay.forEach((figure, value) -> value.set(trees.getInteger(figure)));
    relayMoves.set(trees.getLong("moves"));
  }
}
