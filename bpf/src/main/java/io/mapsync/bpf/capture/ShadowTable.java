package io.mapsync.bpf.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The shadow copy of one map: the state implied by everything reported or applied so far. An
 * open-addressing table (linear probing, backward-shift deletion) over fixed-size keys and values,
 * all slots in one flat array: a slot is [mark:int][key][value], so checking one dumped entry
 * touches one or two cache lines and no object. The mark says the slot is used and in which scan
 * epoch it was last seen, to find deleted keys after a dump.
 */
final class ShadowTable {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int USED = 0x8000_0000;
  private static final int EPOCH = 0x7fff_ffff;

  private final int keySize;
  private final int valueSize;
  private final int stride;
  private byte[] slots;
  private int mask;
  private int size;

  ShadowTable(int keySize, int valueSize) {
    this.keySize = keySize;
    this.valueSize = valueSize;
    this.stride = 4 + keySize + valueSize;
    allocate(16);
  }

  private void allocate(int capacity) {
    slots = new byte[capacity * stride];
    mask = capacity - 1;
    size = 0;
  }

  int size() {
    return size;
  }

  int capacity() {
    return mask + 1;
  }

  /** The slot holding the key at key[off..], or -1. */
  int find(byte[] key, int off) {
    for (int i = hash(key, off) & mask; used(i); i = (i + 1) & mask) {
      int k = i * stride + 4;
      if (Arrays.equals(slots, k, k + keySize, key, off, off + keySize)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Sets key to value; returns false when the shadow already held exactly that value. The slot is
   * marked seen in {@code epoch}.
   */
  boolean put(byte[] key, int koff, byte[] value, int voff, int epoch) {
    int i = find(key, koff);
    if (i >= 0) {
      INT.set(slots, i * stride, USED | (epoch & EPOCH));
      int v = i * stride + 4 + keySize;
      if (Arrays.equals(slots, v, v + valueSize, value, voff, voff + valueSize)) {
        return false;
      }
      System.arraycopy(value, voff, slots, v, valueSize);
      return true;
    }
    if ((size + 1) * 2 > mask + 1) {
      grow();
    }
    i = hash(key, koff) & mask;
    while (used(i)) {
      i = (i + 1) & mask;
    }
    int at = i * stride;
    INT.set(slots, at, USED | (epoch & EPOCH));
    System.arraycopy(key, koff, slots, at + 4, keySize);
    System.arraycopy(value, voff, slots, at + 4 + keySize, valueSize);
    size++;
    return true;
  }

  /** Removes the key; false if it was absent. */
  boolean remove(byte[] key, int koff) {
    int i = find(key, koff);
    if (i < 0) {
      return false;
    }
    // Backward-shift deletion keeps every probe chain unbroken without tombstones.
    int hole = i;
    for (int j = (i + 1) & mask; used(j); j = (j + 1) & mask) {
      int home = hash(slots, j * stride + 4) & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        System.arraycopy(slots, j * stride, slots, hole * stride, stride);
        hole = j;
      }
    }
    INT.set(slots, hole * stride, 0);
    size--;
    return true;
  }

  boolean used(int slot) {
    return ((int) INT.get(slots, slot * stride) & USED) != 0;
  }

  /** Whether a used slot was last seen in this epoch. */
  boolean seenIn(int slot, int epoch) {
    return ((int) INT.get(slots, slot * stride) & EPOCH) == (epoch & EPOCH);
  }

  byte[] key(int slot) {
    int k = slot * stride + 4;
    return Arrays.copyOfRange(slots, k, k + keySize);
  }

  private void grow() {
    byte[] old = slots;
    allocate((mask + 1) * 2);
    for (int at = 0; at < old.length; at += stride) {
      int mark = (int) INT.get(old, at);
      if ((mark & USED) != 0) {
        put(old, at + 4, old, at + 4 + keySize, mark & EPOCH);
      }
    }
  }

  /** 64-bit multiply-xorshift over the key, eight bytes at a time. */
  private int hash(byte[] key, int off) {
    long h = 0x9E3779B97F4A7C15L;
    int i = off;
    int end = off + keySize;
    for (; i + 8 <= end; i += 8) {
      h = (h ^ (long) LONG.get(key, i)) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    for (; i < end; i++) {
      h = (h ^ (key[i] & 0xff)) * 0x94D049BB133111EBL;
    }
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 32));
  }
}
