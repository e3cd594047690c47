package dev.airwave.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A channel and its members. It is pending while only waiting viewers know its id, live while its
 * broadcaster is connected, and away during the broadcaster's grace period.
 */
public final class Channel {
  private final String id;
  private final Map<String, Viewer> viewers = new LinkedHashMap<>();
  private String title = "";
  private long startedAt;
  private boolean pending = true;
  private String broadcasterId;
  private String broadcasterName;
  private String resumeToken;
  private String ownerClient;
  private int maxViewers;
  private long graceTimer = -1;
  private int guests;
  private final ChatHistory history;
  private boolean relay;
  private RelayTree tree;

  /**
   * A viewer's name, the form it is compared in (computed once), its client address, and whether
   * its page said it can pass the stream on.
   */
  private record Viewer(String name, String nameKey, String client, boolean relays) {
    Viewer(String name, String client, boolean relays) {
      this(name, Text.nameKey(name), client, relays);
    }
  }

  /** A channel that keeps no chat history. */
  Channel(String id) {
    this(id, new ChatHistory(0, 0));
  }

  Channel(String id, ChatHistory history) {
    this.id = id;
    this.history = history;
  }

  public String id() {
    return id;
  }

  /** How people know the channel: its title in quotes when it has one, else its id. */
  String label() {
    return title.isEmpty() ? id : "\u201c" + title + "\u201d";
  }

  public long startedAt() {
    return startedAt;
  }

  public boolean pending() {
    return pending;
  }

  public boolean live() {
    return broadcasterId != null;
  }

  public int viewerCount() {
    return viewers.size();
  }

  String broadcasterId() {
    return broadcasterId;
  }

  String broadcasterName() {
    return broadcasterName;
  }

  String resumeToken() {
    return resumeToken;
  }

  long graceTimer() {
    return graceTimer;
  }

  void graceTimer(long timer) {
    graceTimer = timer;
  }

  /** Whether the broadcaster lets viewers pass the stream on. */
  boolean relay() {
    return relay;
  }

  /** Who feeds whom, in a relaying channel once started; null otherwise. */
  RelayTree tree() {
    return tree;
  }

  void tree(RelayTree planted) {
    tree = planted;
  }

  /** Whether this viewer's page said it can pass the stream on. */
  boolean viewerRelays(String peerId) {
    Viewer viewer = viewers.get(peerId);
    return viewer != null && viewer.relays();
  }

  /** The latest chat lines, which every member joining or resuming is given. */
  ChatHistory history() {
    return history;
  }

  /** The client address whose channel quota this channel counts against. */
  String ownerClient() {
    return ownerClient;
  }

  /** The most viewers this channel takes: the broadcaster's choice within the server's cap. */
  int maxViewers() {
    return maxViewers;
  }

  void start(Broadcast broadcast, String token, long now) {
    pending = false;
    broadcasterId = broadcast.peerId();
    broadcasterName = broadcast.name();
    title = broadcast.title();
    ownerClient = broadcast.client();
    maxViewers = broadcast.maxViewers();
    relay = broadcast.relay();
    resumeToken = token;
    startedAt = now;
  }

  /** Undoes {@link #start} when the id could not be claimed; waiting viewers keep waiting. */
  void abandon() {
    pending = true;
    broadcasterId = null;
    broadcasterName = null;
    resumeToken = null;
    ownerClient = null;
    relay = false;
    tree = null;
  }

  void broadcaster(String peerId) {
    broadcasterId = peerId;
  }

  void renameBroadcaster(String name) {
    broadcasterName = name;
  }

  boolean hasViewer(String peerId) {
    return viewers.containsKey(peerId);
  }

  void addViewer(String peerId, String name, String client, boolean relays) {
    viewers.putIfAbsent(peerId, new Viewer(name, client, relays));
  }

  void renameViewer(String peerId, String name) {
    viewers.computeIfPresent(
        peerId, (id, viewer) -> new Viewer(name, viewer.client(), viewer.relays()));
  }

  void viewerRelays(String peerId, boolean relays) {
    viewers.computeIfPresent(
        peerId, (id, viewer) -> new Viewer(viewer.name(), viewer.client(), relays));
  }

  /** Frees the viewer's place; returns its name, or null when it was not here. */
  String removeViewer(String peerId) {
    Viewer viewer = viewers.remove(peerId);
    return viewer == null ? null : viewer.name();
  }

  /** The viewer's name, or null when it is not here. */
  String viewerName(String peerId) {
    Viewer viewer = viewers.get(peerId);
    return viewer == null ? null : viewer.name();
  }

  /** The viewer places (waiting ones included) that this client address holds here. */
  int placesOf(String client) {
    return (int) viewers.values().stream().filter(v -> v.client().equals(client)).count();
  }

  /** The client addresses that hold places here. */
  Set<String> clients() {
    Set<String> clients = new HashSet<>();
    viewers.values().forEach(viewer -> clients.add(viewer.client()));
    return clients;
  }

  /** The viewers past the first {@code cap}, latest arrivals last. */
  List<String> viewersBeyond(int cap) {
    return viewers.keySet().stream().skip(cap).toList();
  }

  /** The viewers' peer ids, in arrival order. */
  Set<String> viewerIds() {
    return Collections.unmodifiableSet(viewers.keySet());
  }

  /** Runs the action with each viewer's peer id and name, in arrival order. */
  void forEachViewer(BiConsumer<String, String> action) {
    viewers.forEach((peerId, viewer) -> action.accept(peerId, viewer.name()));
  }

  /** Every member's peer id, broadcaster first when connected. */
  List<String> members() {
    List<String> members = new ArrayList<>(viewers.size() + 1);
    if (broadcasterId != null) {
      members.add(broadcasterId);
    }
    members.addAll(viewers.keySet());
    return members;
  }

  /**
   * Whether another member than {@code self} already uses this name, compared after NFKC
   * normalisation and ignoring case, so that look-alike spellings count as the same name.
   */
  boolean nameTaken(String name, String self) {
    String wanted = Text.nameKey(name);
    if (!pending && broadcasterName != null && !self.equals(broadcasterId)) {
      if (Text.nameKey(broadcasterName).equals(wanted)) {
        return true;
      }
    }
    return viewers.entrySet().stream()
        .anyMatch(e -> !e.getKey().equals(self) && e.getValue().nameKey().equals(wanted));
  }

  /** The waiting viewers whose names clash with the broadcaster's, which wins. */
  List<String> viewersNamedLikeBroadcaster() {
    String key = Text.nameKey(broadcasterName);
    return viewers.entrySet().stream()
        .filter(e -> e.getValue().nameKey().equals(key))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** A guest name no member uses yet, such as {@code Viewer 3}. */
  String guestName(String self) {
    String name;
    do {
      name = "Viewer " + ++guests;
    } while (nameTaken(name, self));
    return name;
  }

  JsonObject summary() {
    return new JsonObject()
        .put("id", id)
        .put("title", title)
        .put("viewers", viewers.size())
        .put("maxViewers", maxViewers)
        .put("startedAt", startedAt)
        .put("live", live())
        .put("relay", relay);
  }

  JsonArray viewerList() {
    JsonArray list = new JsonArray();
    forEachViewer((peerId, name) -> list.add(viewer(peerId, name)));
    return list;
  }

  static JsonObject viewer(String peerId, String name) {
    return new JsonObject().put("peerId", peerId).put("name", name);
  }
}
