package io.mapsync.examples.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The index table: shares by weight, and a change reassigns only the slots it must. */
class SlotTableTest {
  private static final int SLOTS = LbLayout.SLOTS;

  private static Map<String, Integer> weights(Object... nameWeight) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < nameWeight.length; i += 2) {
      m.put((String) nameWeight[i], (Integer) nameWeight[i + 1]);
    }
    return m;
  }

  private static long count(List<String> table, String b) {
    return table.stream().filter(b::equals).count();
  }

  private static int moved(List<String> before, List<String> after) {
    int n = 0;
    for (int i = 0; i < before.size(); i++) {
      n += before.get(i).equals(after.get(i)) ? 0 : 1;
    }
    return n;
  }

  @Test
  void sharesFollowWeights() {
    List<String> t = SlotTable.assign(List.of(), weights("a", 1, "b", 3), SLOTS);
    assertEquals(SLOTS, t.size());
    assertEquals(64, count(t, "a"));
    assertEquals(192, count(t, "b"));
  }

  @Test
  void addingABackendTakesOnlyItsShare() {
    List<String> before = SlotTable.assign(List.of(), weights("a", 1, "b", 1), SLOTS);
    List<String> after = SlotTable.assign(before, weights("a", 1, "b", 1, "c", 1), SLOTS);
    assertEquals(count(after, "c"), moved(before, after), "only the slots now given to c changed");
    assertTrue(Math.abs(count(after, "c") - SLOTS / 3) <= 1);
  }

  @Test
  void removingABackendMovesOnlyItsSlots() {
    List<String> before = SlotTable.assign(List.of(), weights("a", 1, "b", 1, "c", 1), SLOTS);
    List<String> after = SlotTable.assign(before, weights("a", 1, "c", 1), SLOTS);
    assertEquals(count(before, "b"), moved(before, after), "only b's slots changed hands");
    assertEquals(0, count(after, "b"));
  }

  @Test
  void aTinyWeightStillGetsASlot() {
    Map<String, Integer> w = weights("small", 1);
    for (int i = 0; i < 15; i++) {
      w.put("big" + i, 256);
    }
    List<String> t = SlotTable.assign(List.of(), w, SLOTS);
    assertEquals(1, count(t, "small"));
    assertEquals(SLOTS, t.size());
  }
}
