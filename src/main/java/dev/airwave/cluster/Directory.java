package dev.airwave.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Who owns which channel id, and the started channels counted against the service's caps, in maps
 * that every node sees (Vert.x shared data: in this process alone, Hazelcast's when clustered).
 *
 * <p>An id is owned by the node that first claimed it, for a waiting room or a channel, until that
 * node releases it or leaves. The started channels are one small table updated by compare-and-set,
 * so that the cap on channels and on channels per client address hold across every node without a
 * lock.
 */
public final class Directory {
  /** The outcome of reserving a place among the started channels. */
  public enum Reservation {
    RESERVED,
    TAKEN,
    FULL,
    CLIENT_FULL
  }

  private static final String OWNERS = "airwave.owners";
  private static final String STARTED = "airwave.started";
  private static final String TABLE = "table";
  private static final int MAX_ATTEMPTS = 64;

  private final Vertx vertx;
  private final Predicate<String> isMember;

  /**
   * A directory over this Vert.x's shared data; {@code isMember} tells whether a node is still in
   * the cluster, so that what a node that left still holds counts for nothing, even before the
   * survivors have dropped it.
   */
  public Directory(Vertx vertx, Predicate<String> isMember) {
    this.vertx = vertx;
    this.isMember = isMember;
  }

  private Future<AsyncMap<String, String>> owners() {
    return vertx.sharedData().getAsyncMap(OWNERS);
  }

  private Future<AsyncMap<String, JsonObject>> started() {
    return vertx.sharedData().getAsyncMap(STARTED);
  }

  /** The node that owns the id: the one that held it already, else {@code candidate}, now. */
  public Future<String> claim(String id, String candidate) {
    return owners()
        .compose(map -> map.putIfAbsent(id, candidate))
        .map(held -> held != null ? held : candidate);
  }

  /** The node that owns the id, or null. */
  public Future<String> owner(String id) {
    return owners().compose(map -> map.get(id));
  }

  /** Gives the id up, if this node still holds it. */
  public Future<Boolean> release(String id, String node) {
    return owners().compose(map -> map.removeIfPresent(id, node));
  }

  /**
   * Counts a started channel against the caps: refused when another node started the id, when
   * {@code max} channels are started, or when the client address already has {@code maxPerClient}.
   */
  public Future<Reservation> reserve(
      String id, String node, String client, int max, int maxPerClient) {
    Reservation[] outcome = new Reservation[1];
    return update(
            table -> {
              JsonObject held = table.getJsonObject(id);
              if (held != null) {
                outcome[0] =
                    node.equals(held.getString("node")) ? Reservation.RESERVED : Reservation.TAKEN;
                return null;
              }
              if (table.size() >= max) {
                outcome[0] = Reservation.FULL;
                return null;
              }
              if (countOf(table, "client", client) >= maxPerClient) {
                outcome[0] = Reservation.CLIENT_FULL;
                return null;
              }
              outcome[0] = Reservation.RESERVED;
              return table.copy().put(id, new JsonObject().put("node", node).put("client", client));
            })
        .map(done -> outcome[0]);
  }

  /** Stops counting a channel that ended. */
  public Future<Void> unreserve(String id, String node) {
    return update(
            table -> {
              JsonObject held = table.getJsonObject(id);
              if (held == null || !node.equals(held.getString("node"))) {
                return null;
              }
              JsonObject next = table.copy();
              next.remove(id);
              return next;
            })
        .mapEmpty();
  }

  /** How many ids are claimed and how many channels are counted as started, on every node. */
  public Future<JsonObject> counts() {
    Future<Integer> claims = owners().compose(AsyncMap::size);
    Future<Integer> counted =
        started().compose(map -> map.get(TABLE)).map(t -> t == null ? 0 : t.size());
    return Future.all(claims, counted)
        .map(
            done ->
                new JsonObject().put("claims", claims.result()).put("started", counted.result()));
  }

  /** Forgets every claim and started channel of a node that left the cluster. */
  public Future<Void> dropNode(String node) {
    Future<Void> table =
        update(
                t -> {
                  JsonObject next = t.copy();
                  t.fieldNames()
                      .forEach(
                          id -> {
                            if (node.equals(t.getJsonObject(id).getString("node"))) {
                              next.remove(id);
                            }
                          });
                  return next.size() == t.size() ? null : next;
                })
            .mapEmpty();
    Future<Void> claims =
        owners()
            .compose(
                map ->
                    map.entries()
                        .compose(
                            all -> {
                              List<Future<Boolean>> removed = new ArrayList<>();
                              for (Map.Entry<String, String> entry : all.entrySet()) {
                                if (node.equals(entry.getValue())) {
                                  removed.add(map.removeIfPresent(entry.getKey(), node));
                                }
                              }
                              return Future.all(removed).mapEmpty();
                            }));
    return Future.all(table, claims).mapEmpty();
  }

  /** The entries of members whose field has this value (any value when null). */
  private int countOf(JsonObject table, String field, String value) {
    int count = 0;
    for (String id : table.fieldNames()) {
      JsonObject entry = table.getJsonObject(id);
      if (isMember.test(entry.getString("node"))
          && (value == null || value.equals(entry.getString(field)))) {
        count++;
      }
    }
    return count;
  }

  /**
   * Applies the change to the table by compare-and-set, retrying when another node changed it
   * meanwhile. The change returns the next table, or null to leave it as it is.
   */
  private Future<Void> update(UnaryOperator<JsonObject> change) {
    return started().compose(map -> attempt(map, change, 0));
  }

  private Future<Void> attempt(
      AsyncMap<String, JsonObject> map, UnaryOperator<JsonObject> change, int attempt) {
    if (attempt >= MAX_ATTEMPTS) {
      return Future.failedFuture("the table of started channels is too contended");
    }
    return map.get(TABLE)
        .compose(
            current -> {
              JsonObject table = current != null ? current : new JsonObject();
              JsonObject next = change.apply(table);
              if (next == null) {
                return Future.succeededFuture(true);
              }
              return current == null
                  ? map.putIfAbsent(TABLE, next).map(previous -> previous == null)
                  : map.replaceIfPresent(TABLE, current, next);
            })
        .compose(
            written ->
                written ? Future.<Void>succeededFuture() : attempt(map, change, attempt + 1));
  }
}
