package io.mapsync.agent.sync;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * One entry's identity: which map, which raw key.
 *
 * <p>Not a record because of its hash: protobuf's {@code ByteString.hashCode} multiplies by 31 per
 * byte, and BPF keys are short binary strings with many zero bytes, so 65,536 consecutive 8-byte
 * keys had 8,161 distinct hashes. The pending set and the batcher's per-key coalescing then ran
 * into long collision chains (measured: the capture thread's top frames were {@code equals} and bin
 * treeification). Here every byte is mixed with a large odd multiplier and the result goes through
 * MurmurHash3's finalizer; it is computed once.
 */
public final class MapKey {
  private final String map;
  private final ByteString key;
  private final int hash;

  public MapKey(String map, ByteString key) {
    this.map = Objects.requireNonNull(map);
    this.key = Objects.requireNonNull(key);
    this.hash = mix(map, key);
  }

  public String map() {
    return map;
  }

  public ByteString key() {
    return key;
  }

  private static int mix(String map, ByteString key) {
    int h = map.hashCode() * 0x9E3779B1;
    for (int i = 0, n = key.size(); i < n; i++) {
      h = (h ^ (key.byteAt(i) & 0xff)) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof MapKey k && hash == k.hash && key.equals(k.key) && map.equals(k.map));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return map + "/" + java.util.HexFormat.of().formatHex(key.toByteArray());
  }
}
