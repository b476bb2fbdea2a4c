package io.mapsync.bpf.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shadow table against a HashMap model, through growth and backward-shift deletes. */
class ShadowTableTest {

  @Test
  void behavesLikeAMapUnderRandomPutsAndRemoves() {
    ShadowTable t = new ShadowTable(6, 3);
    Map<Integer, Integer> model = new HashMap<>();
    Random rnd = new Random(42);
    for (int step = 0; step < 200_000; step++) {
      int k = rnd.nextInt(5_000);
      if (rnd.nextInt(3) == 0) {
        assertEquals(model.remove(k) != null, t.remove(key(k), 0));
      } else {
        int v = rnd.nextInt(4);
        Integer old = model.put(k, v);
        assertEquals(
            old == null || old != v, t.put(key(k), 0, value(v), 0, 1), "put reports a change");
      }
    }
    assertEquals(model.size(), t.size());
    for (int k = 0; k < 5_000; k++) {
      assertEquals(model.containsKey(k), t.find(key(k), 0) >= 0, "key " + k);
    }
  }

  @Test
  void marksWhichSlotsAScanSaw() {
    ShadowTable t = new ShadowTable(6, 3);
    for (int k = 0; k < 100; k++) {
      t.put(key(k), 0, value(1), 0, 1);
    }
    for (int k = 0; k < 100; k += 2) {
      assertFalse(t.put(key(k), 0, value(1), 0, 2), "same value: no change, but seen");
    }
    Set<Integer> unseen = new HashSet<>();
    for (int slot = 0; slot < t.capacity(); slot++) {
      if (t.used(slot) && !t.seenIn(slot, 2)) {
        unseen.add(ByteBuffer.wrap(t.key(slot)).getInt());
      }
    }
    assertEquals(50, unseen.size());
    assertTrue(unseen.stream().allMatch(k -> k % 2 == 1));
  }

  private static byte[] key(int k) {
    return ByteBuffer.allocate(6).putInt(k).array();
  }

  private static byte[] value(int v) {
    return new byte[] {(byte) v, 0, (byte) v};
  }
}
