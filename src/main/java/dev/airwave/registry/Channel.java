package dev.airwave.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A channel and its members. It is pending while only waiting viewers know its id, live while its
 * broadcaster is connected, and away during the broadcaster's grace period.
 */
public final class Channel {
  private final String id;
  private final Map<String, String> viewers = new LinkedHashMap<>();
  private String title = "";
  private long startedAt;
  private boolean pending = true;
  private String broadcasterId;
  private String broadcasterName;
  private String resumeToken;
  private long graceTimer = -1;
  private int guests;

  Channel(String id) {
    this.id = id;
  }

  public String id() {
    return id;
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

  void start(String peerId, String name, String newTitle, String token, long now) {
    pending = false;
    broadcasterId = peerId;
    broadcasterName = name;
    title = newTitle;
    resumeToken = token;
    startedAt = now;
  }

  /** Undoes {@link #start} when the id could not be claimed; waiting viewers keep waiting. */
  void abandon() {
    pending = true;
    broadcasterId = null;
    broadcasterName = null;
    resumeToken = null;
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

  void addViewer(String peerId, String name) {
    viewers.put(peerId, name);
  }

  String removeViewer(String peerId) {
    return viewers.remove(peerId);
  }

  Map<String, String> viewers() {
    return viewers;
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

  /** Whether another member than {@code self} already uses this name, ignoring case. */
  boolean nameTaken(String name, String self) {
    String wanted = name.toLowerCase(Locale.ROOT);
    if (!pending && broadcasterName != null && !self.equals(broadcasterId)) {
      if (broadcasterName.toLowerCase(Locale.ROOT).equals(wanted)) {
        return true;
      }
    }
    return viewers.entrySet().stream()
        .anyMatch(
            e -> !e.getKey().equals(self) && e.getValue().toLowerCase(Locale.ROOT).equals(wanted));
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
        .put("startedAt", startedAt)
        .put("live", live());
  }

  JsonArray viewerList() {
    JsonArray list = new JsonArray();
    viewers.forEach((peerId, name) -> list.add(viewer(peerId, name)));
    return list;
  }

  static JsonObject viewer(String peerId, String name) {
    return new JsonObject().put("peerId", peerId).put("name", name);
  }
}
