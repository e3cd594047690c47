package dev.airwave.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    assertEquals(List.of(new Move("c", HOST), new Move("d", "c")), moves);
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
    assertEquals(List.of(new Move("c", "b"), new Move("d", "b")), tree.relays("a", false));
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
    assertEquals(List.of(new Move("b", HOST)), tree.detach("a"));
    assertEquals(List.of("b", "c", "d"), line(tree, "d"));
    assertValid(tree, 1, 1, 10);
  }

  @Test
  @DisplayName("a viewer left with no free slot anywhere is said to have no place")
  void dropsWhatDoesNotFit() {
    RelayTree tree = new RelayTree(HOST, 1, 1, 2);
    tree.attach("a", true);
    tree.attach("b", true);
    assertNull(tree.attach("c", true), "b is at the depth bound");
    assertEquals(List.of(new Move("b", HOST)), tree.detach("a"));
    assertEquals("b", tree.attach("c", false));
    assertEquals(List.of(new Move("c", null)), tree.relays("b", false));
    assertEquals(1, tree.size());
    assertValid(tree, 1, 1, 2);
  }

  @RepeatedTest(20)
  @DisplayName("random joins, leaves and relay changes keep every rule")
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
            action < 8 ? tree.detach(viewer) : tree.relays(viewer, random.nextBoolean());
        if (action < 8) {
          inside.remove(viewer);
        }
        moves.stream().filter(m -> m.parent() == null).forEach(m -> inside.remove(m.viewer()));
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
