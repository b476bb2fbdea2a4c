package io.mapsync.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MapKeyTest {
  private static ByteString u64(long v) {
    return ByteString.copyFrom(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
  }

  @Test
  void equalKeysAreEqualAndDifferentMapsOrBytesAreNot() {
    assertEquals(new MapKey("a", u64(7)), new MapKey("a", u64(7)));
    assertEquals(new MapKey("a", u64(7)).hashCode(), new MapKey("a", u64(7)).hashCode());
    assertNotEquals(new MapKey("a", u64(7)), new MapKey("b", u64(7)));
    assertNotEquals(new MapKey("a", u64(7)), new MapKey("a", u64(8)));
  }

  @Test
  void consecutiveBinaryKeysSpreadOverHashBuckets() {
    // ByteString's own hash gives these 65,536 keys 8,161 distinct values.
    Set<Integer> hashes = new HashSet<>();
    Set<Integer> buckets = new HashSet<>();
    for (long i = 0; i < 65_536; i++) {
      int h = new MapKey("sessions", u64(i)).hashCode();
      hashes.add(h);
      buckets.add((h ^ (h >>> 16)) & (131_072 - 1)); // HashMap's bucket for a 128k table
    }
    assertTrue(hashes.size() > 65_000, "distinct hashes: " + hashes.size());
    assertTrue(buckets.size() > 50_000, "buckets used: " + buckets.size());
  }
}
