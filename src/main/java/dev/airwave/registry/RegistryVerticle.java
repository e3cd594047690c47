package dev.airwave.registry;

import static dev.airwave.bus.Addresses.CLIENT_HEADER;
import static dev.airwave.bus.Addresses.PEER_HEADER;

import dev.airwave.bus.Addresses;
import dev.airwave.config.AppConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the channel registry: answers the browsers' requests, relays their signals and chat to peer
 * inboxes, publishes the channel list, and evicts idle channels on a timer.
 */
public final class RegistryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryVerticle.class);

  private static final long METRICS_INTERVAL_MS = 1000;

  private final Outbox outbox = new Outbox();
  private final RegistryMetrics metrics;
  private AppConfig settings;
  private Registry registry;
  private BroadcastCredentials credentials;
  private boolean updateScheduled;

  public RegistryVerticle(MeterRegistry meters) {
    this.metrics = new RegistryMetrics(meters);
  }

  @Override
  public Future<?> start() {
    settings = AppConfig.fromJson(config());
    ChannelStore store =
        new LocalChannelStore(
            Duration.ofSeconds(settings.idleTimeoutSeconds()), System::currentTimeMillis);
    registry =
        new Registry(
            settings,
            store,
            outbox,
            new VertxTimers(),
            new SecureIds(vertx),
            System::currentTimeMillis);
    credentials = new BroadcastCredentials(vertx, settings.broadcastSecret());
    Map<String, BiFunction<String, Object, JsonObject>> requests =
        Map.ofEntries(
            Map.entry(Addresses.HELLO, (peer, body) -> registry.hello(peer)),
            Map.entry(Addresses.LIST, registry::list),
            Map.entry(Addresses.RESUME, registry::resume),
            Map.entry(Addresses.JOIN, registry::join),
            Map.entry(Addresses.LEAVE, registry::leave),
            Map.entry(Addresses.STOP, registry::stop),
            Map.entry(Addresses.KEEPALIVE, registry::keepalive),
            Map.entry(Addresses.NAME, registry::rename),
            Map.entry(Addresses.SIGNAL, registry::signal),
            Map.entry(Addresses.CHAT, registry::chat));
    List<MessageConsumer<?>> consumers = new ArrayList<>();
    requests.forEach((address, op) -> consumers.add(consumer(address, op)));
    consumers.add(vertx.eventBus().localConsumer(Addresses.CREATE, this::onCreate));
    consumers.add(vertx.eventBus().localConsumer(Addresses.PEER_GONE, this::onPeerGone));
    consumers.add(vertx.eventBus().localConsumer(Addresses.STATUS, this::onStatus));
    vertx.setPeriodic(settings.sweepSeconds() * 1000L, timer -> onSweep());
    vertx.setPeriodic(METRICS_INTERVAL_MS, timer -> metrics.update(registry.status()));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    registry.shutdown();
    outbox.deliver();
    return Future.succeededFuture();
  }

  private MessageConsumer<Object> consumer(
      String address, BiFunction<String, Object, JsonObject> op) {
    return vertx.eventBus().localConsumer(address, message -> onRequest(message, op));
  }

  /** A create waits for its broadcast credential to be checked, then goes the usual way. */
  private void onCreate(Message<Object> message) {
    credentials
        .grant(message.body())
        .onComplete(
            checked ->
                onRequest(message, (peer, body) -> registry.create(peer, body, checked.result())));
  }

  private void onRequest(Message<Object> message, BiFunction<String, Object, JsonObject> op) {
    String peer = message.headers().get(PEER_HEADER);
    if (peer == null || !Addresses.PEER_ID.matcher(peer).matches()) {
      message.fail(400, "bad_request: The message has no sender identity.");
      return;
    }
    registry.identify(peer, message.headers().get(CLIENT_HEADER));
    try {
      message.reply(op.apply(peer, message.body()));
      count(message);
    } catch (ProtocolException refused) {
      LOG.debug("refused {} from {}: {}", message.address(), peer, refused.code().wire());
      metrics.refused(refused.code().wire());
      message.fail(refused.code().status(), refused.wireMessage());
    } catch (RuntimeException e) {
      LOG.error("request to {} failed", message.address(), e);
      message.fail(500, "internal: The server could not handle this request.");
    }
    settleAndDeliver();
  }

  private void count(Message<Object> handled) {
    if (Addresses.SIGNAL.equals(handled.address())) {
      metrics.relayed(((JsonObject) handled.body()).getString("type"));
    } else if (Addresses.CHAT.equals(handled.address())) {
      metrics.chat();
    }
  }

  private void onPeerGone(Message<Object> message) {
    String peer = message.headers().get(PEER_HEADER);
    if (peer != null) {
      registry.disconnect(peer);
      settleAndDeliver();
    }
  }

  private void onStatus(Message<Object> message) {
    message.reply(registry.status());
  }

  private void onSweep() {
    metrics.evicted(registry.sweep());
    outbox.deliver();
  }

  private void onUpdateDue() {
    updateScheduled = false;
    registry.flushCounts();
    outbox.deliver();
    vertx.eventBus().publish(Addresses.CHANNELS, registry.list());
  }

  private void settleAndDeliver() {
    metrics.evicted(registry.settle());
    outbox.deliver();
  }

  /** Holds a request's outgoing messages until its reply has gone, so the reply arrives first. */
  private final class Outbox implements Mailer {
    private final List<Map.Entry<String, JsonObject>> queued = new ArrayList<>();

    @Override
    public void send(String peerId, JsonObject message) {
      queued.add(Map.entry(peerId, message));
    }

    @Override
    public void changed() {
      if (!updateScheduled) {
        updateScheduled = true;
        vertx.setTimer(settings.listRefreshMs(), timer -> onUpdateDue());
      }
    }

    void deliver() {
      for (Map.Entry<String, JsonObject> entry : queued) {
        vertx.eventBus().send(Addresses.inbox(entry.getKey()), entry.getValue());
      }
      queued.clear();
    }
  }

  private final class VertxTimers implements Timers {
    @Override
    public long schedule(long delayMs, Runnable task) {
      return vertx.setTimer(
          delayMs,
          timer -> {
            task.run();
            settleAndDeliver();
          });
    }

    @Override
    public void cancel(long timer) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
  }
}
