package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.airwave.registry.RelayTree.Move;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

@DisplayName("The relay tree's rules: attach, detach, re-parent, slots, no cycles, depth")
class RelayTreeTest {
  private static final String HOST = "host";

  @Test
  @DisplayName(
      "newcomers fill the broadcaster's slots, then the shallowest relays, in arrival order")
  void attachesShallowestFirst() {
    RelayTree tree = new RelayTree(HOST, 2, 2, 5);
    assertEquals(HOST, tree.attach("a", true));
    assertEquals(HOST, tree.attach("b", true));
    assertEquals("a", tree.attach("c", true));
    assertEquals("a", tree.attach("d", true));
    assertEquals("b", tree.attach("e", true));
    assertEquals("b", tree.attach("f", true));
    assertEquals("c", tree.attach("g", true));
    assertEquals(Set.of("a", "b"), tree.children(HOST));
    assertEquals(3, tree.depth());
    assertTrue(tree.linked("a", "c") && tree.linked("c", "a"));
    assertFalse(tree.linked("a", "b"), "siblings do not signal");
    assertFalse(tree.linked(HOST, "c"), "nor the broadcaster and a grandchild");
    assertValid(tree, 2, 2, 5);
  }

  @Test
  @DisplayName(
      "a viewer that does not relay feeds nobody; without relays the tree is flat and full")
  void nonRelaysAreLeaves() {
    RelayTree tree = new RelayTree(HOST, 2, 3, 5);
    assertEquals(HOST, tree.attach("a", false));
    assertEquals(HOST, tree.attach("b", false));
    assertNull(tree.attach("c", false), "no free slot anywhere");
    assertEquals(2, tree.size());
    assertEquals(1, tree.depth());
  }

  @Test
  @DisplayName("nobody hangs deeper than the bound")
  void depthBound() {
    RelayTree tree = new RelayTree(HOST, 1, 1, 3);
    assertEquals(HOST, tree.attach("a", true));
    assertEquals("a", tree.attach("b", true));
    assertEquals("b", tree.attach("c", true));
    assertNull(tree.attach("d", true), "c is at depth 3: it takes nobody");
  }

  @Test
  @DisplayName(
      "when a relay leaves, its children move, with what they feed, to the shallowest slots")
  void detachReparents() {
    RelayTree tree = new RelayTree(HOST, 2, 2, 5);
    for (String viewer : List.of("a", "b", "c", "d", "e", "f", "g")) {
      tree.attach(viewer, true);
    }
    // a feeds c and d; c feeds g; b feeds e and f. Without a: the host has a slot, and c (with g)
    // is the larger subtree, so it goes there; d goes under the shallowest relay with a slot.
    List<Move> moves = tree.detach("a");
    assertEquals(List.of(new Move("c", "a", HOST), new Move("d", "a", "c")), moves);
    assertEquals("c", tree.parentOf("g"), "g keeps its feed and renegotiates nothing");
    assertValid(tree, 2, 2, 5);
  }

  @Test
  @DisplayName("a relay that stops relaying hands its children on and stays as a leaf")
  void stopRelaying() {
    RelayTree tree = new RelayTree(HOST, 2, 2, 5);
    for (String viewer : List.of("a", "b", "c", "d")) {
      tree.attach(viewer, true);
    }
    assertEquals(
        List.of(new Move("c", "a", "b"), new Move("d", "a", "b")), tree.relays("a", false));
    assertEquals(HOST, tree.parentOf("a"));
    assertEquals(Set.of(), tree.children("a"));
    assertEquals("c", tree.attach("e", true), "a takes nobody now; b is full");
    assertValid(tree, 2, 2, 5);
  }

  @Test
  @DisplayName("a subtree never goes under its own members, so re-parenting makes no cycle")
  void noCycles() {
    RelayTree tree = new RelayTree(HOST, 1, 1, 10);
    for (String viewer : List.of("a", "b", "c", "d")) {
      tree.attach(viewer, true);
    }
    // host - a - b - c - d. Without a, b's only free slot outside its own line is the host's.
    assertEquals(List.of(new Move("b", "a", HOST)), tree.detach("a"));
    assertEquals(List.of("b", "c", "d"), line(tree, "d"));
    assertValid(tree, 1, 1, 10);
  }

  @Test
  @DisplayName("a viewer left with no free slot anywhere is said to have no place, and waits")
  void dropsWhatDoesNotFit() {
    RelayTree tree = new RelayTree(HOST, 1, 1, 2);
    tree.attach("a", true);
    tree.attach("b", true);
    assertNull(tree.attach("c", true), "b is at the depth bound");
    assertEquals(List.of(new Move("b", "a", HOST)), tree.detach("a"));
    assertEquals(List.of(new Move("c", null, "b")), tree.placeWaiting());
    assertEquals(List.of(new Move("c", "b", null)), tree.relays("b", false));
    assertEquals(1, tree.size());
    assertEquals(List.of("c"), tree.waiting());
    assertValid(tree, 1, 1, 2);
  }

  @Test
  @DisplayName("a resumed broadcaster takes the old root's place with the same viewers under it")
  void reroot() {
    RelayTree tree = new RelayTree(HOST, 2, 2, 5);
    for (String viewer : List.of("a", "b", "c")) {
      tree.attach(viewer, true);
    }
    tree.reroot("host2");
    assertEquals("host2", tree.parentOf("a"));
    assertEquals("host2", tree.parentOf("b"));
    assertEquals("a", tree.parentOf("c"));
    assertEquals(Set.of("a", "b"), tree.children("host2"));
    assertTrue(tree.linked("host2", "a"));
    assertEquals(2, tree.depth());
    assertEquals("a", tree.attach("d", true), "the new root's two slots are still taken");
  }

  @Test
  @DisplayName(
      "a viewer whose relay stalled moves, with what it feeds, outside the stalled subtree")
  void moveAwayFromStalled() {
    RelayTree tree = new RelayTree(HOST, 2, 2, 5);
    for (String viewer : List.of("a", "b", "c", "d", "e", "f", "g")) {
      tree.attach(viewer, true);
    }
    // a feeds c and d, b feeds e and f, c feeds g. c reports a stalled: a's subtree is avoided, so
    // c (with g) goes under e, the shallowest member with a free slot outside it.
    assertEquals(List.of(new Move("c", "a", "e")), tree.moveAway("c"));
    assertEquals("c", tree.parentOf("g"));
    assertEquals(Set.of("d"), tree.children("a"), "only the reporter moved");
    assertValid(tree, 2, 2, 5);
  }

  @Test
  @DisplayName("a reporter with no slot outside the stalled subtree waits, and its children move")
  void moveAwayWithNoRoom() {
    RelayTree tree = new RelayTree(HOST, 1, 1, 5);
    for (String viewer : List.of("a", "b", "c")) {
      tree.attach(viewer, true);
    }
    // host - a - b - c: b reports a stalled; everything else is inside a's subtree.
    List<Move> moves = tree.moveAway("b");
    assertEquals(new Move("b", "a", null), moves.get(0));
    assertEquals(List.of(new Move("c", "b", "a")), moves.subList(1, moves.size()));
    assertFalse(tree.has("b"));
    assertValid(tree, 1, 1, 5);
  }

  @Test
  @DisplayName("viewers with no free slot wait in arrival order and are placed when slots free")
  void waitingViewers() {
    RelayTree tree = new RelayTree(HOST, 1, 1, 5);
    tree.attach("a", false);
    assertNull(tree.attach("b", true), "a does not relay: no slot anywhere");
    assertNull(tree.attach("c", true));
    assertEquals(List.of("b", "c"), tree.waiting());
    assertEquals(List.of(), tree.placeWaiting(), "still no slot");
    tree.relays("a", true);
    assertEquals(List.of(new Move("b", null, "a"), new Move("c", null, "b")), tree.placeWaiting());
    assertEquals(List.of(), tree.waiting());
    tree.relays("b", false);
    assertEquals(List.of("c"), tree.waiting(), "b stopped relaying and c has nowhere else");
    tree.detach("c");
    assertEquals(List.of(), tree.waiting(), "a waiting viewer that leaves is forgotten");
    assertValid(tree, 1, 1, 5);
  }

  @Test
  @DisplayName("a report against the broadcaster moves nobody: that connection recovers by itself")
  void broadcasterIsNeverStalled() {
    RelayTree tree = new RelayTree(HOST, 2, 2, 5);
    tree.attach("a", true);
    assertEquals(List.of(), tree.moveAway("a"));
    assertEquals(HOST, tree.parentOf("a"));
  }

  @RepeatedTest(20)
  @DisplayName("random joins, leaves, relay changes and stall reports keep every rule")
  void randomOperations(RepetitionInfo run) {
    Random random = new Random(run.getCurrentRepetition());
    int direct = 1 + random.nextInt(4);
    int relay = random.nextInt(4);
    int depth = 1 + random.nextInt(5);
    RelayTree tree = new RelayTree(HOST, direct, relay, depth);
    List<String> inside = new ArrayList<>();
    for (int step = 0; step < 400; step++) {
      int action = random.nextInt(10);
      if (action < 5 || inside.isEmpty()) {
        String viewer = "v" + step;
        if (tree.attach(viewer, random.nextBoolean()) != null) {
          inside.add(viewer);
        }
      } else {
        String viewer = inside.get(random.nextInt(inside.size()));
        List<Move> moves =
            switch (action) {
              case 5, 6, 7 -> tree.detach(viewer);
              case 8 -> tree.relays(viewer, random.nextBoolean());
              default -> tree.moveAway(viewer);
            };
        if (action < 8) {
          inside.remove(viewer);
        }
        moves.stream().filter(m -> m.parent() == null).forEach(m -> inside.remove(m.viewer()));
        for (Move move : moves) {
          assertNotEquals(move.from(), move.parent(), move + ": a move goes somewhere else");
          if (move.parent() != null) {
            assertEquals(move.parent(), tree.parentOf(move.viewer()), move.toString());
          }
        }
      }
      assertEquals(inside.size(), tree.size());
      assertValid(tree, direct, relay, depth);
    }
  }

  /** Slots, depth and acyclicity, from the broadcaster down; every member is reached once. */
  private static void assertValid(RelayTree tree, int direct, int relay, int maxDepth) {
    Set<String> seen = new HashSet<>();
    List<String> level = List.of(HOST);
    int depth = 0;
    while (!level.isEmpty()) {
      List<String> next = new ArrayList<>();
      for (String member : level) {
        assertTrue(seen.add(member), member + " reached twice: a cycle or two parents");
        Set<String> children = tree.children(member);
        int slots = member.equals(HOST) ? direct : relay;
        assertTrue(children.size() <= slots, member + " feeds " + children);
        for (String child : children) {
          assertEquals(member, tree.parentOf(child));
        }
        next.addAll(children);
      }
      assertTrue(depth <= maxDepth, "depth " + depth);
      level = next;
      depth++;
    }
    assertEquals(tree.size() + 1, seen.size(), "every viewer hangs from the broadcaster");
  }

  /** The viewers from the broadcaster's child down to this one. */
  private static List<String> line(RelayTree tree, String viewer) {
    List<String> line = new ArrayList<>();
    for (String at = viewer; !at.equals(HOST); at = tree.parentOf(at)) {
      line.add(0, at);
    }
    return line;
  }
}
