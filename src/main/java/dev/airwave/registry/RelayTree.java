package dev.airwave.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who feeds whom in a channel whose viewers pass the stream on: a tree rooted at the broadcaster,
 * which feeds at most {@code directSlots} viewers, each relaying viewer at most {@code relaySlots}
 * more, no viewer deeper than {@code maxDepth}. A newcomer goes under the shallowest member with a
 * free slot; when a relay leaves or stops relaying, its children (with what they feed) move under
 * the shallowest free slots outside their own subtrees, so the tree never has a cycle.
 *
 * <p>The rule book alone: {@link RelayTrees} keeps one per relaying channel and tells the members.
 */
final class RelayTree {
  private String root;
  private final int directSlots;
  private final int relaySlots;
  private final int maxDepth;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final Set<String> rootChildren = new LinkedHashSet<>();

  /** The viewers no member had a free slot for, in arrival order, and whether each relays. */
  private final Map<String, Boolean> waiting = new LinkedHashMap<>();

  /** One viewer's place: whom it hangs from, whom it feeds, and whether it may feed anyone. */
  private static final class Member {
    String parent;
    boolean relays;
    final Set<String> children = new LinkedHashSet<>();

    Member(String parent, boolean relays) {
      this.parent = parent;
      this.relays = relays;
    }
  }

  /**
   * A viewer that must now take the stream from {@code parent} instead of {@code from} (and
   * renegotiate with it); a null parent means no member has a free slot for it.
   */
  record Move(String viewer, String from, String parent) {}

  RelayTree(String root, int directSlots, int relaySlots, int maxDepth) {
    if (directSlots < 1 || relaySlots < 0 || maxDepth < 1) {
      throw new IllegalArgumentException("a tree needs a slot at the root and a depth of one");
    }
    this.root = root;
    this.directSlots = directSlots;
    this.relaySlots = relaySlots;
    this.maxDepth = maxDepth;
  }

  /**
   * Places a new viewer under the shallowest member with a free slot; answers its parent, or null
   * when no member has one within the depth bound (the tree is full): it then waits for one.
   */
  String attach(String viewer, boolean relays) {
    if (viewer.equals(root) || members.containsKey(viewer) || waiting.containsKey(viewer)) {
      throw new IllegalArgumentException(viewer + " is already in the tree");
    }
    String parent = shallowestFree(0, null);
    if (parent == null) {
      waiting.put(viewer, relays);
    } else {
      members.put(viewer, new Member(parent, relays));
      childrenOf(parent).add(viewer);
    }
    return parent;
  }

  /** Places waiting viewers, earliest first, while there are free slots; answers their moves. */
  List<Move> placeWaiting() {
    List<Move> moves = new ArrayList<>();
    for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
      String parent = shallowestFree(0, null);
      if (parent == null) {
        break;
      }
      var next = it.next();
      it.remove();
      members.put(next.getKey(), new Member(parent, next.getValue()));
      childrenOf(parent).add(next.getKey());
      moves.add(new Move(next.getKey(), null, parent));
    }
    return moves;
  }

  /** The viewers waiting for a free slot, earliest first. */
  List<String> waiting() {
    return List.copyOf(waiting.keySet());
  }

  /** Takes a viewer out (placed or waiting); its children move, and each move is answered. */
  List<Move> detach(String viewer) {
    waiting.remove(viewer);
    Member gone = members.get(viewer);
    if (gone == null) {
      return List.of();
    }
    childrenOf(gone.parent).remove(viewer);
    members.remove(viewer);
    return rehome(new ArrayList<>(gone.children));
  }

  /**
   * Whether a viewer may feed others (it may say it can no longer: a metered or weak connection, or
   * falling behind); a viewer that stops hands its children on.
   */
  List<Move> relays(String viewer, boolean relays) {
    if (waiting.containsKey(viewer)) {
      waiting.put(viewer, relays);
      return List.of();
    }
    Member member = member(viewer);
    member.relays = relays;
    if (relays || member.children.isEmpty()) {
      return List.of();
    }
    List<String> orphans = new ArrayList<>(member.children);
    member.children.clear();
    return rehome(orphans);
  }

  /**
   * The broadcaster came back under a new peer id (a resume): it takes the old root's place, with
   * the same viewers under it.
   */
  void reroot(String newRoot) {
    for (String child : rootChildren) {
      members.get(child).parent = newRoot;
    }
    root = newRoot;
  }

  /**
   * A viewer says the member feeding it stalled: it moves, with what it feeds, under the shallowest
   * free slot outside the stalled member's subtree; with none it leaves the tree (to wait for a
   * slot) and what it fed is placed as after {@link #detach}. Only the reporter moves.
   */
  List<Move> moveAway(String viewer) {
    Member member = member(viewer);
    String stalled = member.parent;
    if (stalled.equals(root)) {
      return List.of();
    }
    childrenOf(stalled).remove(viewer);
    String parent = shallowestFree(height(viewer), stalled);
    if (parent == null) {
      // Nowhere outside: the reporter waits for a free slot, and what it fed is placed anew.
      childrenOf(stalled).add(viewer);
      List<Move> moves = new ArrayList<>();
      moves.add(new Move(viewer, stalled, null));
      moves.addAll(detach(viewer));
      waiting.put(viewer, member.relays);
      return moves;
    }
    member.parent = parent;
    childrenOf(parent).add(viewer);
    return List.of(new Move(viewer, stalled, parent));
  }

  /** The broadcaster's peer id. */
  String root() {
    return root;
  }

  /** Whether this viewer has a place in the tree (not waiting for one). */
  boolean has(String viewer) {
    return members.containsKey(viewer);
  }

  /** The member a viewer takes the stream from. */
  String parentOf(String viewer) {
    return member(viewer).parent;
  }

  /** The viewers a member (the broadcaster or a viewer) feeds. */
  Set<String> children(String id) {
    return Set.copyOf(childrenOf(id));
  }

  /** Whether two peers may signal to each other: one feeds the other. */
  boolean linked(String a, String b) {
    Member ma = members.get(a);
    Member mb = members.get(b);
    return (ma != null && b.equals(ma.parent)) || (mb != null && a.equals(mb.parent));
  }

  /** The broadcaster is at depth 0, the viewers it feeds at 1. */
  int depthOf(String id) {
    int depth = 0;
    for (String at = id; !at.equals(root); at = member(at).parent) {
      depth++;
    }
    return depth;
  }

  /** The depth of the deepest viewer (0 with no viewer). */
  int depth() {
    return members.keySet().stream().mapToInt(this::depthOf).max().orElse(0);
  }

  /** The viewers with a place (not those waiting for one). */
  int size() {
    return members.size();
  }

  /** Re-attaches orphans, largest subtrees first, each with its subtree where one fits. */
  private List<Move> rehome(List<String> orphans) {
    List<Move> moves = new ArrayList<>();
    Deque<String> queue = new ArrayDeque<>();
    Map<String, Integer> sizes = new LinkedHashMap<>();
    orphans.forEach(orphan -> sizes.put(orphan, subtree(orphan).size()));
    orphans.stream()
        .sorted(Comparator.comparing(sizes::get, Comparator.reverseOrder()))
        .forEach(queue::add);
    while (!queue.isEmpty()) {
      String orphan = queue.poll();
      Member member = members.get(orphan);
      // The orphan is already cut from the tree, so the search from the broadcaster cannot reach
      // its own subtree: it never lands under one of its own members.
      String parent = shallowestFree(height(orphan), null);
      if (parent == null) {
        // The subtree fits nowhere whole: the orphan goes alone and its children find places too.
        List<String> children = new ArrayList<>(member.children);
        member.children.clear();
        children.forEach(queue::addFirst);
        parent = shallowestFree(0, null);
        if (parent == null) {
          members.remove(orphan);
          waiting.put(orphan, member.relays);
          moves.add(new Move(orphan, member.parent, null));
          continue;
        }
      }
      moves.add(new Move(orphan, member.parent, parent));
      member.parent = parent;
      childrenOf(parent).add(orphan);
    }
    return moves;
  }

  /**
   * The shallowest member (breadth first from the broadcaster, earliest arrival first) with a free
   * slot, high enough to hang a subtree of this height below it, and outside the subtree of {@code
   * avoid} when one is given.
   */
  private String shallowestFree(int height, String avoid) {
    Deque<String> queue = new ArrayDeque<>(List.of(root));
    Map<String, Integer> depth = new LinkedHashMap<>(Map.of(root, 0));
    while (!queue.isEmpty()) {
      String at = queue.poll();
      if (at.equals(avoid)) {
        continue;
      }
      int d = depth.get(at);
      if (d + 1 + height <= maxDepth && childrenOf(at).size() < slots(at)) {
        return at;
      }
      for (String child : childrenOf(at)) {
        depth.put(child, d + 1);
        queue.add(child);
      }
    }
    return null;
  }

  private int slots(String id) {
    if (id.equals(root)) {
      return directSlots;
    }
    return member(id).relays ? relaySlots : 0;
  }

  private Set<String> childrenOf(String id) {
    return id.equals(root) ? rootChildren : member(id).children;
  }

  private Set<String> subtree(String id) {
    Set<String> found = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>(List.of(id));
    while (!queue.isEmpty()) {
      String at = queue.poll();
      found.add(at);
      queue.addAll(childrenOf(at));
    }
    return found;
  }

  /** How many levels hang below this viewer (0 for a leaf). */
  private int height(String id) {
    return childrenOf(id).stream().mapToInt(child -> 1 + height(child)).max().orElse(0);
  }

  private Member member(String id) {
    Member member = members.get(id);
    if (member == null) {
      throw new IllegalArgumentException(id + " is not in the tree");
    }
    return member;
  }
}
