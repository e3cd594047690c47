package dev.airwave.registry;

import static dev.airwave.bus.Addresses.CLIENT_HEADER;
import static dev.airwave.bus.Addresses.EDGE_HEADER;
import static dev.airwave.bus.Addresses.OP_HEADER;
import static dev.airwave.bus.Addresses.PEER_HEADER;

import dev.airwave.bus.Addresses;
import dev.airwave.cluster.Directory;
import dev.airwave.cluster.Membership;
import dev.airwave.config.AppConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of one node, in its two roles.
 *
 * <p><b>Edge</b>: answers the requests of this node's sockets (local consumers only), charges their
 * rate budgets, and sends each request to the owner of the channel it is about: this node, or
 * another one over the clustered event bus.
 *
 * <p><b>Owner</b>: holds the channels this node claimed in the {@link Directory} (their members,
 * names, timers), answers the requests about them from every node's edges, relays signals and chat
 * to the members' inboxes wherever their sockets are, and evicts idle channels on a timer.
 *
 * <p>On one node both roles meet in this verticle without a hop; docs/architecture.md draws it.
 */
public final class RegistryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryVerticle.class);

  private static final long METRICS_INTERVAL_MS = 1000;

  /**
   * How long an edge waits for another node's owner: under the bridge's 10 s, and long enough for
   * an owner busy with a crowd of joins (measured: 3 s refused thousands of signals in a storm on
   * two cores). A node that dies or hangs fails its waiting requests sooner, when it is dropped.
   */
  static final long FORWARD_TIMEOUT_MS = 8000;

  /** Internal failure code: the id belongs to the node named in the message; ask it. */
  private static final int MOVED = 307;

  /** Internal operations between edges and owners. */
  private static final String GONE = "gone";

  private static final String FREE = "free";

  /** Why the members of a channel whose owner was lost are told it ended. */
  static final String NODE_LOST = "node-lost";

  private static final int FRESH_ID_ATTEMPTS = 8;

  /**
   * How often each node republishes its channel summaries even when nothing changed, so that a node
   * that joined (or merged back) late has every node's list within this time; a node's summaries
   * not renewed within three intervals are dropped.
   */
  private static final long SUMMARY_INTERVAL_MS = 2000;

  private final Outbox outbox = new Outbox();
  private final RegistryMetrics metrics;
  private final Membership membership;
  private final String self;

  /** Edge: this node's sockets. */
  private final Map<String, EdgeSocket> sockets = new HashMap<>();

  /** Edge: the owner of each channel id as last learnt. */
  private final Map<String, String> owners = new HashMap<>();

  /** Owner: the ids this node claimed in the directory. */
  private final Set<String> held = new HashSet<>();

  /** Owner: the started channels this node counted in the directory's caps. */
  private final Set<String> reserved = new HashSet<>();

  /** Owner: directory updates in flight per id, so that a release never overtakes a claim. */
  private final Map<String, Future<?>> settling = new HashMap<>();

  /** Owner: the peers of other nodes' sockets, and their node. */
  private final Map<String, String> remote = new HashMap<>();

  /** Edge: the forwarded requests awaiting each owner node, failed at once if it leaves. */
  private final Map<String, Set<Promise<Answer>>> inFlight = new HashMap<>();

  /** The channel summaries every other node's owner published last. */
  private final Map<String, JsonArray> summaries = new HashMap<>();

  /** What waits on each other node, for the waiting quotas. */
  private final Map<String, JsonObject> waitingOf = new HashMap<>();

  /** When each other node's summaries arrived. */
  private final Map<String, Long> summarised = new HashMap<>();

  private AppConfig settings;
  private Registry registry;
  private BroadcastCredentials credentials;
  private Directory directory;
  private Ids ids;
  private boolean updateScheduled;
  private boolean listScheduled;
  private boolean fenced;
  private boolean countingDirectory;

  /**
   * Whether a claim was taken or something may have ended since the claims were last checked; every
   * end goes through {@link Mailer#changed()}, so most requests (signals, chat) skip the check.
   */
  private boolean claimsToCheck;

  private JsonObject directoryCounts;

  public RegistryVerticle(MeterRegistry meters, Membership membership) {
    this.metrics = new RegistryMetrics(meters);
    this.membership = membership;
    this.self = membership.nodeId();
  }

  /** A request as its owner handles it, wherever its socket is. */
  private record Request(
      String address, String peer, String client, String edge, Object body, Grant grant) {}

  /** An owner's reply, and the events for the requesting peer that must follow it. */
  private record Answer(JsonObject reply, List<JsonObject> after) {}

  /** The id is another node's: the request must go there. */
  private static final class Moved extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String node;

    Moved(String node) {
      super(node, null, false, false);
      this.node = node;
    }
  }

  @Override
  public Future<?> start() {
    settings = AppConfig.fromJson(config());
    ChannelStore store =
        new LocalChannelStore(
            Duration.ofSeconds(settings.idleTimeoutSeconds()), System::currentTimeMillis);
    ids = new SecureIds(vertx);
    registry =
        new Registry(
            settings,
            store,
            outbox,
            new VertxTimers(),
            ids,
            System::currentTimeMillis,
            false,
            new Elsewhere());
    credentials = new BroadcastCredentials(vertx, settings.broadcastSecret());
    directory = new Directory(vertx, membership::isMember);
    List<MessageConsumer<?>> consumers = new ArrayList<>();
    for (String address : Addresses.INBOUND) {
      consumers.add(vertx.eventBus().localConsumer(address, this::onRequest));
    }
    consumers.add(vertx.eventBus().localConsumer(Addresses.PEER_GONE, this::onPeerGone));
    consumers.add(vertx.eventBus().localConsumer(Addresses.STATUS, this::onStatus));
    consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.owner(self), this::onForward));
    if (membership.clustered()) {
      consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.SUMMARIES, this::onSummaries));
      vertx.setPeriodic(SUMMARY_INTERVAL_MS, timer -> refreshSummaries());
      Context context = vertx.getOrCreateContext();
      membership.listen(
          node -> context.runOnContext(v -> onNodeLeft(node)),
          () -> context.runOnContext(v -> onMembersChanged()));
    }
    vertx.setPeriodic(settings.sweepSeconds() * 1000L, timer -> onSweep());
    vertx.setPeriodic(
        METRICS_INTERVAL_MS,
        timer -> {
          metrics.update(registry.status());
          refreshDirectoryCounts();
        });
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(done -> publishSummaries());
  }

  @Override
  public Future<?> stop() {
    registry.shutdown();
    claimsToCheck = true;
    settleAndDeliver();
    return Future.succeededFuture();
  }

  // ---- edge ----------------------------------------------------------------------------------

  private void onRequest(Message<Object> message) {
    String peer = message.headers().get(PEER_HEADER);
    if (peer == null || !Addresses.PEER_ID.matcher(peer).matches()) {
      message.fail(400, "bad_request: The message has no sender identity.");
      return;
    }
    String client = message.headers().get(CLIENT_HEADER);
    long now = System.currentTimeMillis();
    EdgeSocket socket =
        sockets.computeIfAbsent(
            peer, id -> new EdgeSocket(client != null ? client : id, settings, now));
    String address = message.address();
    if (!socket.charge(address, now)) {
      refuse(message, Refusals.rateLimited());
      return;
    }
    Request request = new Request(address, peer, socket.client, self, message.body(), Grant.OPEN);
    switch (address) {
      case Addresses.LIST -> answerList(message, request);
      case Addresses.HELLO -> dispatch(message, request, socket, self, true);
      case Addresses.CREATE ->
          credentials
              .grant(message.body())
              .onComplete(checked -> create(message, request, socket, checked.result()));
      case Addresses.JOIN -> routeById(message, request, socket, true);
      case Addresses.RESUME -> routeById(message, request, socket, false);
      default ->
          dispatch(message, request, socket, socket.owner != null ? socket.owner : self, true);
    }
  }

  private void answerList(Message<Object> message, Request request) {
    try {
      Fields.of(request.body(), Set.of());
    } catch (ProtocolException refused) {
      refuse(message, refused);
      return;
    }
    message.reply(clusterList());
  }

  /** A create goes to the owner of its id: the id asked for, the credential's, or a fresh one. */
  private void create(Message<Object> message, Request asked, EdgeSocket socket, Grant grant) {
    Request request =
        withName(
            new Request(asked.address(), asked.peer(), asked.client(), self, asked.body(), grant),
            socket);
    String id = channelIdOf(request.body());
    if (id == null && grant.channel() != null && !hasField(request.body(), "id")) {
      id = grant.channel();
    }
    if (id != null) {
      String wanted = id;
      claim(wanted).onComplete(owner -> whenFree(message, request, socket, owner));
      return;
    }
    if (request.body() instanceof JsonObject body && !body.containsKey("id")) {
      freshId(FRESH_ID_ATTEMPTS)
          .onComplete(
              fresh -> {
                if (fresh.failed()) {
                  fail(message, fresh.cause());
                  return;
                }
                Request named =
                    new Request(
                        request.address(),
                        request.peer(),
                        request.client(),
                        self,
                        body.copy().put("id", fresh.result()),
                        grant);
                whenFree(message, named, socket, Future.succeededFuture(self));
              });
      return;
    }
    dispatch(message, request, socket, self, true);
  }

  /** A random id that nobody holds, claimed for this node. */
  private Future<String> freshId(int attempts) {
    String id = ids.channelId();
    return claim(id)
        .compose(
            owner -> {
              if (owner.equals(self) && !registry.holds(id)) {
                return Future.succeededFuture(id);
              }
              return attempts > 1
                  ? freshId(attempts - 1)
                  : Future.failedFuture(new IllegalStateException("no free channel id"));
            });
  }

  /** Joins claim the id for this node when nobody holds it (a waiting room); resumes only ask. */
  private void routeById(Message<Object> message, Request asked, EdgeSocket socket, boolean claim) {
    Request request = claim ? withName(asked, socket) : asked;
    String id = channelIdOf(request.body());
    if (id == null) {
      dispatch(message, request, socket, self, true);
      return;
    }
    String known = owners.get(id);
    Future<String> owner =
        known != null
            ? Future.succeededFuture(known)
            : claim
                ? claim(id)
                : directory.owner(id).map(o -> o != null && membership.isMember(o) ? o : self);
    owner.onComplete(found -> whenFree(message, request, socket, found));
  }

  /**
   * Sends the request to the owner once the socket is known to be in no channel elsewhere: a socket
   * is in one channel at a time, and only the owner of its current one knows.
   */
  private void whenFree(
      Message<Object> message, Request request, EdgeSocket socket, AsyncResult<String> owner) {
    if (owner.failed()) {
      fail(message, owner.cause());
      return;
    }
    String target = owner.result();
    String current = socket.owner;
    if (current == null || current.equals(target)) {
      dispatch(message, request, socket, target, true);
      return;
    }
    Request check =
        new Request(FREE, request.peer(), request.client(), self, new JsonObject(), Grant.OPEN);
    ask(current, check)
        .onComplete(
            free -> {
              if (free.failed()) {
                fail(message, free.cause());
              } else {
                socket.exit();
                dispatch(message, request, socket, target, true);
              }
            });
  }

  private void dispatch(
      Message<Object> message, Request request, EdgeSocket socket, String owner, boolean retry) {
    socket.owners.add(owner);
    ask(owner, request)
        .onComplete(
            answered -> {
              if (answered.succeeded()) {
                learn(request, socket, owner, answered.result().reply());
                message.reply(answered.result().reply());
                answered
                    .result()
                    .after()
                    .forEach(
                        event -> vertx.eventBus().send(Addresses.inbox(request.peer()), event));
              } else if (answered.cause() instanceof Moved moved && retry) {
                String id = channelIdOf(request.body());
                if (id != null) {
                  owners.put(id, moved.node);
                }
                dispatch(message, request, socket, moved.node, false);
              } else {
                fail(message, answered.cause());
              }
              settleAndDeliver();
            });
  }

  /** Runs the request at its owner: here without a hop, or at another node. */
  private Future<Answer> ask(String owner, Request request) {
    if (owner.equals(self)) {
      return own(request).map(reply -> new Answer(reply, List.of()));
    }
    JsonObject forwarded =
        new JsonObject().put("body", request.body()).put("grant", grantJson(request.grant()));
    DeliveryOptions options =
        new DeliveryOptions()
            .setSendTimeout(FORWARD_TIMEOUT_MS)
            .addHeader(OP_HEADER, request.address())
            .addHeader(PEER_HEADER, request.peer())
            .addHeader(CLIENT_HEADER, request.client())
            .addHeader(EDGE_HEADER, self);
    Promise<Answer> answered = Promise.promise();
    Set<Promise<Answer>> pending = inFlight.computeIfAbsent(owner, node -> new HashSet<>());
    pending.add(answered);
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.owner(owner), forwarded, options)
        .map(
            reply ->
                new Answer(
                    reply.body().getJsonObject("reply"),
                    events(reply.body().getJsonArray("after"))))
        .recover(RegistryVerticle::translate)
        .onComplete(
            done -> {
              pending.remove(answered);
              if (done.succeeded()) {
                answered.tryComplete(done.result());
              } else {
                answered.tryFail(done.cause());
              }
            });
    return answered.future();
  }

  private static Future<Answer> translate(Throwable failure) {
    if (failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return Future.failedFuture(
          reply.failureCode() == MOVED ? new Moved(reply.getMessage()) : reply);
    }
    return Future.failedFuture(unavailable());
  }

  /** What the edge keeps of a successful answer: the channel the socket is now in, or not. */
  private void learn(Request request, EdgeSocket socket, String owner, JsonObject reply) {
    switch (request.address()) {
      case Addresses.CREATE, Addresses.RESUME ->
          socket.enter(reply.getJsonObject("channel").getString("id"), owner);
      case Addresses.JOIN -> {
        socket.enter(channelIdOf(request.body()), owner);
        socket.name = reply.getString("name");
      }
      case Addresses.LEAVE, Addresses.STOP -> socket.exit();
      case Addresses.NAME -> socket.name = reply.getString("name");
      default -> {}
    }
  }

  /** Carries a name the socket chose before, which the new channel's owner does not know. */
  private static Request withName(Request request, EdgeSocket socket) {
    if (socket.name == null
        || !(request.body() instanceof JsonObject body)
        || body.containsKey("name")) {
      return request;
    }
    return new Request(
        request.address(),
        request.peer(),
        request.client(),
        request.edge(),
        body.copy().put("name", socket.name),
        request.grant());
  }

  /**
   * The owner of the id, which becomes this node when nobody held it. A claim left by a node that
   * is no longer a member (its drop may still be on its way) is void: it is given up and claimed
   * again.
   */
  private Future<String> claim(String id) {
    String known = owners.get(id);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return directoryClaim(id)
        .onSuccess(
            owner -> {
              owners.put(id, owner);
              if (owner.equals(self)) {
                held.add(id);
                claimsToCheck = true;
              }
            });
  }

  /**
   * Claims the id in the directory for this node once this node's own updates of it are done. A
   * claim left by a node that is no longer a member (its drop may still be on its way) is void: it
   * is given up and claimed again.
   */
  private Future<String> directoryClaim(String id) {
    return afterSettling(id)
        .compose(v -> directory.claim(id, self))
        .compose(
            owner ->
                membership.isMember(owner)
                    ? Future.succeededFuture(owner)
                    : directory.release(id, owner).compose(released -> directory.claim(id, self)));
  }

  private void onPeerGone(Message<Object> message) {
    String peer = message.headers().get(PEER_HEADER);
    if (peer == null) {
      return;
    }
    EdgeSocket socket = sockets.remove(peer);
    registry.disconnect(peer);
    if (socket != null) {
      for (String owner : socket.owners) {
        if (!owner.equals(self)) {
          vertx
              .eventBus()
              .send(
                  Addresses.owner(owner),
                  new JsonObject(),
                  new DeliveryOptions()
                      .addHeader(OP_HEADER, GONE)
                      .addHeader(PEER_HEADER, peer)
                      .addHeader(EDGE_HEADER, self));
        }
      }
    }
    settleAndDeliver();
  }

  // ---- owner ---------------------------------------------------------------------------------

  /** A request from another node's edge, about a channel this node owns. */
  private void onForward(Message<JsonObject> message) {
    String op = message.headers().get(OP_HEADER);
    String peer = message.headers().get(PEER_HEADER);
    String edge = message.headers().get(EDGE_HEADER);
    if (op == null || peer == null || edge == null) {
      message.fail(400, "bad_request: a forwarded request needs op, peer and edge");
      return;
    }
    if (GONE.equals(op)) {
      remote.remove(peer);
      registry.disconnect(peer);
      settleAndDeliver();
      return;
    }
    JsonObject body = message.body();
    Request request =
        new Request(
            op,
            peer,
            message.headers().get(CLIENT_HEADER),
            edge,
            body.getValue("body"),
            grantOf(body.getJsonObject("grant")));
    own(request)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                message.reply(
                    new JsonObject()
                        .put("reply", done.result())
                        .put("after", new JsonArray(outbox.takeFor(peer))));
              } else if (done.cause() instanceof Moved moved) {
                message.fail(MOVED, moved.node);
              } else if (done.cause() instanceof ProtocolException refused) {
                message.fail(refused.code().status(), refused.wireMessage());
              } else {
                message.fail(500, "internal: The server could not handle this request.");
              }
              settleAndDeliver();
            });
  }

  /**
   * Handles a request here, as the owner of the channel it is about. A create or join for an id
   * this node does not hold yet first claims it (another node may have meanwhile: then the request
   * moves there), and a create is counted against the service's caps first.
   */
  private Future<JsonObject> own(Request request) {
    boolean greeting =
        Addresses.HELLO.equals(request.address()) || Addresses.LIST.equals(request.address());
    if (fenced && !greeting) {
      return Future.failedFuture(unavailable());
    }
    if (!request.edge().equals(self)) {
      remote.put(request.peer(), request.edge());
    }
    boolean create = Addresses.CREATE.equals(request.address());
    String id =
        create || Addresses.JOIN.equals(request.address()) ? channelIdOf(request.body()) : null;
    Future<Void> ready = Future.succeededFuture();
    if (id != null && !held.contains(id)) {
      ready =
          directoryClaim(id)
              .compose(
                  owner -> {
                    if (!owner.equals(self)) {
                      return Future.failedFuture(new Moved(owner));
                    }
                    held.add(id);
                    claimsToCheck = true;
                    return Future.succeededFuture();
                  });
    }
    if (create && id != null) {
      ready = ready.compose(v -> reserve(id, request.client()));
    }
    return ready.compose(v -> run(request));
  }

  private Future<Void> reserve(String id, String client) {
    if (reserved.contains(id)) {
      return Future.succeededFuture();
    }
    return directory
        .reserve(id, self, client, settings.maxChannels(), settings.maxChannelsPerAddress())
        .compose(
            outcome ->
                switch (outcome) {
                  case RESERVED -> {
                    reserved.add(id);
                    claimsToCheck = true;
                    yield Future.succeededFuture();
                  }
                  case TAKEN -> Future.failedFuture(Refusals.taken(id));
                  case CLIENT_FULL ->
                      Future.failedFuture(
                          Refusals.tooManyChannels(settings.maxChannelsPerAddress()));
                  case FULL -> Future.failedFuture(Refusals.channelsFull());
                });
  }

  /** The registry's rule for the request, run at once on this event loop. */
  private Future<JsonObject> run(Request request) {
    String peer = request.peer();
    Object body = request.body();
    registry.identify(peer, request.client());
    try {
      JsonObject reply =
          switch (request.address()) {
            case Addresses.HELLO -> registry.hello(peer);
            case Addresses.CREATE -> registry.create(peer, body, request.grant());
            case Addresses.RESUME -> registry.resume(peer, body);
            case Addresses.JOIN -> registry.join(peer, body);
            case Addresses.LEAVE -> registry.leave(peer, body);
            case Addresses.STOP -> registry.stop(peer, body);
            case Addresses.KEEPALIVE -> registry.keepalive(peer, body);
            case Addresses.NAME -> registry.rename(peer, body);
            case Addresses.SIGNAL -> registry.signal(peer, body);
            case Addresses.CHAT -> registry.chat(peer, body);
            case Addresses.RELAY_ABLE -> registry.relayAble(peer, body);
            case Addresses.RELAY_STALLED -> registry.relayStalled(peer, body);
            case FREE -> {
              registry.requireFree(peer);
              yield new JsonObject();
            }
            default -> throw Fields.bad("Unknown request " + request.address() + ".");
          };
      count(request);
      return Future.succeededFuture(reply);
    } catch (ProtocolException refused) {
      LOG.debug("refused {} from {}: {}", request.address(), peer, refused.code().wire());
      metrics.refused(refused.code().wire());
      return Future.failedFuture(refused);
    } catch (RuntimeException e) {
      LOG.error("request to {} failed", request.address(), e);
      return Future.failedFuture(e);
    }
  }

  private void count(Request handled) {
    if (Addresses.SIGNAL.equals(handled.address())) {
      metrics.relayed(((JsonObject) handled.body()).getString("type"));
    } else if (Addresses.CHAT.equals(handled.address())) {
      metrics.chat();
    }
  }

  // ---- the cluster ---------------------------------------------------------------------------

  /**
   * A node left (killed, hung past the heartbeat timeout, or on the other side of a partition). As
   * owner: its sockets are disconnected from this node's channels. As edge: this node's sockets in
   * channels that node owned are told those ended. Its claims are dropped.
   */
  private void onNodeLeft(String node) {
    LOG.warn("cluster node {} left", node);
    List<String> lost = new ArrayList<>();
    remote.forEach(
        (peer, edge) -> {
          if (node.equals(edge)) {
            lost.add(peer);
          }
        });
    for (String peer : lost) {
      remote.remove(peer);
      registry.disconnect(peer);
    }
    sockets.forEach(
        (peer, socket) -> {
          socket.owners.remove(node);
          if (node.equals(socket.owner)) {
            vertx
                .eventBus()
                .send(
                    Addresses.inbox(peer),
                    new JsonObject()
                        .put("type", "channel-ended")
                        .put("channel", socket.channel)
                        .put("reason", NODE_LOST));
            socket.exit();
          }
        });
    owners.values().removeIf(node::equals);
    Set<Promise<Answer>> stranded = inFlight.remove(node);
    if (stranded != null) {
      List.copyOf(stranded).forEach(request -> request.tryFail(unavailable()));
    }
    summaries.remove(node);
    summarised.remove(node);
    waitingOf.remove(node);
    scheduleList();
    directory
        .dropNode(node)
        .onFailure(e -> LOG.warn("could not drop the claims of node {}: {}", node, e.toString()));
    settleAndDeliver();
  }

  /**
   * Fences this node while it sees fewer members than the quorum (it is in a minority, or alone
   * after a partition): it ends what it owns and refuses new channels, so that when the partition
   * heals no channel has two owners. It serves again once it sees a quorum.
   */
  private void onMembersChanged() {
    boolean quorate = membership.quorate();
    if (!quorate && !fenced) {
      fenced = true;
      LOG.error(
          "this node sees {} of at least {} cluster members: fenced, ending its channels",
          membership.members(),
          membership.minMembers());
      registry.endAll(NODE_LOST);
      owners.clear();
      settleAndDeliver();
    } else if (quorate && fenced) {
      fenced = false;
      LOG.warn("this node sees {} cluster members again: serving", membership.members());
    }
    publishSummaries();
  }

  private void onSummaries(Message<JsonObject> message) {
    String node = message.body().getString("node");
    if (node == null || node.equals(self)) {
      return;
    }
    JsonArray channels = message.body().getJsonArray("channels", new JsonArray());
    LOG.debug("summaries from node {}: {} channels", node, channels.size());
    summarised.put(node, System.currentTimeMillis());
    waitingOf.put(node, message.body().getJsonObject("waiting", new JsonObject()));
    if (!channels.equals(summaries.put(node, channels))) {
      scheduleList();
    }
  }

  private void refreshSummaries() {
    publishSummaries();
    long stale = System.currentTimeMillis() - 3 * SUMMARY_INTERVAL_MS;
    if (summarised.values().removeIf(at -> at < stale)) {
      summaries.keySet().retainAll(summarised.keySet());
      waitingOf.keySet().retainAll(summarised.keySet());
      scheduleList();
    }
  }

  private void publishSummaries() {
    if (membership.clustered()) {
      vertx
          .eventBus()
          .publish(
              Addresses.SUMMARIES,
              new JsonObject()
                  .put("node", self)
                  .put("channels", registry.channels())
                  .put("waiting", registry.waiting()));
    }
  }

  /** The started channels of every node, newest first, with this node's clock. */
  private JsonObject clusterList() {
    if (summaries.isEmpty()) {
      return registry.list();
    }
    List<JsonObject> all = new ArrayList<>();
    registry.channels().forEach(summary -> all.add((JsonObject) summary));
    summaries.values().forEach(list -> list.forEach(summary -> all.add((JsonObject) summary)));
    all.sort(Comparator.comparingLong((JsonObject s) -> s.getLong("startedAt", 0L)).reversed());
    return new JsonObject()
        .put("channels", new JsonArray(new ArrayList<Object>(all)))
        .put("now", System.currentTimeMillis());
  }

  /**
   * Answers at once from this event loop: the probes must not wait for the cluster maps, whose
   * counts are fetched in the background ({@link #refreshDirectoryCounts()}).
   */
  private void onStatus(Message<Object> message) {
    message.reply(status().put("directory", directoryCounts));
  }

  /** Fetches the directory's counts for the probes, one fetch at a time. */
  private void refreshDirectoryCounts() {
    if (countingDirectory) {
      return;
    }
    countingDirectory = true;
    directory
        .counts()
        .onComplete(
            counts -> {
              countingDirectory = false;
              directoryCounts = counts.succeeded() ? counts.result() : null;
            });
  }

  private JsonObject status() {
    return registry
        .status()
        .put("ready", !fenced)
        .put(
            "cluster",
            new JsonObject()
                .put("enabled", membership.clustered())
                .put("node", self)
                .put("members", membership.members())
                .put("minMembers", membership.minMembers())
                .put("fenced", fenced));
  }

  // ---- upkeep --------------------------------------------------------------------------------

  private void onSweep() {
    metrics.evicted(registry.sweep());
    settleAndDeliver();
  }

  private void onUpdateDue() {
    updateScheduled = false;
    registry.flushCounts();
    outbox.deliver();
    publishSummaries();
    publishList();
  }

  private void scheduleList() {
    if (!listScheduled) {
      listScheduled = true;
      vertx.setTimer(
          settings.listRefreshMs(),
          timer -> {
            listScheduled = false;
            publishList();
          });
    }
  }

  /** The list goes to this node's sockets only: every node publishes the same list to its own. */
  private void publishList() {
    vertx
        .eventBus()
        .publish(Addresses.CHANNELS, clusterList(), new DeliveryOptions().setLocalOnly(true));
  }

  private void settleAndDeliver() {
    metrics.evicted(registry.settle());
    releaseUnheld();
    outbox.deliver();
  }

  /** Gives back the claims and cap places of ids that nothing lives under here any more. */
  private void releaseUnheld() {
    if (!claimsToCheck) {
      return;
    }
    claimsToCheck = false;
    for (Iterator<String> it = held.iterator(); it.hasNext(); ) {
      String id = it.next();
      if (!registry.holds(id)) {
        it.remove();
        owners.remove(id, self);
        settle(id, () -> directory.release(id, self));
      }
    }
    for (Iterator<String> it = reserved.iterator(); it.hasNext(); ) {
      String id = it.next();
      if (!registry.isStarted(id)) {
        it.remove();
        settle(id, () -> directory.unreserve(id, self));
      }
    }
  }

  private void settle(String id, Supplier<Future<?>> update) {
    Future<?> next =
        afterSettling(id)
            .compose(v -> update.get())
            .onFailure(e -> LOG.warn("directory update for {} failed: {}", id, e.toString()));
    settling.put(id, next);
    next.onComplete(done -> settling.remove(id, next));
  }

  private Future<Void> afterSettling(String id) {
    Future<?> pending = settling.get(id);
    return pending == null
        ? Future.succeededFuture()
        : pending.transform(v -> Future.succeededFuture());
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The request's channel id when it is a valid one, else null (the registry refuses it). */
  private static String channelIdOf(Object body) {
    if (body instanceof JsonObject json && json.getValue("id") instanceof String id) {
      try {
        return Text.channelId(id);
      } catch (ProtocolException invalid) {
        return null;
      }
    }
    return null;
  }

  private static boolean hasField(Object body, String field) {
    return body instanceof JsonObject json && json.containsKey(field);
  }

  private static JsonObject grantJson(Grant grant) {
    return new JsonObject()
        .put("kind", grant.kind().name())
        .put("channel", grant.channel())
        .put("subject", grant.subject());
  }

  private static Grant grantOf(JsonObject json) {
    if (json == null) {
      return Grant.OPEN;
    }
    return new Grant(
        Grant.Kind.valueOf(json.getString("kind", Grant.Kind.OPEN.name())),
        json.getString("channel"),
        json.getString("subject"));
  }

  private static List<JsonObject> events(JsonArray array) {
    List<JsonObject> events = new ArrayList<>();
    if (array != null) {
      array.forEach(event -> events.add((JsonObject) event));
    }
    return events;
  }

  private static ProtocolException unavailable() {
    return new ProtocolException(
        ErrorCode.UNAVAILABLE, "The server that carries this channel is not reachable; retry.");
  }

  private void refuse(Message<?> message, ProtocolException refused) {
    LOG.debug("refused {}: {}", message.address(), refused.code().wire());
    metrics.refused(refused.code().wire());
    message.fail(refused.code().status(), refused.wireMessage());
  }

  private void fail(Message<?> message, Throwable failure) {
    if (failure instanceof ProtocolException refused) {
      message.fail(refused.code().status(), refused.wireMessage());
    } else if (failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      message.fail(reply.failureCode(), reply.getMessage());
    } else if (failure instanceof Moved) {
      refuse(message, unavailable());
    } else {
      LOG.error("request to {} failed", message.address(), failure);
      message.fail(500, "internal: The server could not handle this request.");
    }
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
      claimsToCheck = true;
      if (!updateScheduled) {
        updateScheduled = true;
        vertx.setTimer(settings.listRefreshMs(), timer -> onUpdateDue());
      }
    }

    /** Takes the queued messages for one peer out, to travel with its reply. */
    List<JsonObject> takeFor(String peerId) {
      List<JsonObject> mine = new ArrayList<>();
      queued.removeIf(
          entry -> {
            if (entry.getKey().equals(peerId)) {
              mine.add(entry.getValue());
              return true;
            }
            return false;
          });
      return mine;
    }

    void deliver() {
      for (Map.Entry<String, JsonObject> entry : queued) {
        vertx.eventBus().send(Addresses.inbox(entry.getKey()), entry.getValue());
      }
      queued.clear();
    }
  }

  /** The waiting rooms of the other nodes, from their last summaries. */
  private final class Elsewhere implements WaitingElsewhere {
    @Override
    public int ids() {
      return sum(waiting -> waiting.getInteger("ids", 0));
    }

    @Override
    public int viewers() {
      return sum(waiting -> waiting.getInteger("viewers", 0));
    }

    @Override
    public int idsOf(String client) {
      return sum(
          waiting -> waiting.getJsonObject("clients", new JsonObject()).getInteger(client, 0));
    }

    private int sum(ToIntFunction<JsonObject> count) {
      int total = 0;
      for (JsonObject waiting : waitingOf.values()) {
        total += count.applyAsInt(waiting);
      }
      return total;
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
