package io.mapsync.bpf.capture;

import java.util.Arrays;

/**
 * The shadow copy of one map: the state implied by everything reported or
 * applied so far. An open-addressing table over fixed-size keys and values
 * kept in flat arrays (no object per entry), so diffing a 1M-entry dump
 * against it costs tens of milliseconds. Each slot also carries the epoch of
 * the last scan that saw it, to find deleted keys after a dump.
 */
final class ShadowTable {
    private final int keySize;
    private final int valueSize;
    private byte[] keys;
    private byte[] values;
    private int[] seen;
    private boolean[] used;
    private int mask;
    private int size;

    ShadowTable(int keySize, int valueSize) {
        this.keySize = keySize;
        this.valueSize = valueSize;
        allocate(16);
    }

    private void allocate(int capacity) {
        keys = new byte[capacity * keySize];
        values = new byte[capacity * valueSize];
        seen = new int[capacity];
        used = new boolean[capacity];
        mask = capacity - 1;
        size = 0;
    }

    int size() {
        return size;
    }

    int keySize() {
        return keySize;
    }

    int valueSize() {
        return valueSize;
    }

    /** The slot holding the key at key[off..], or -1. */
    int find(byte[] key, int off) {
        for (int i = hash(key, off) & mask; used[i]; i = (i + 1) & mask) {
            if (Arrays.equals(keys, i * keySize, (i + 1) * keySize, key, off, off + keySize)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sets key to value; returns false when the shadow already held exactly
     * that value. The slot is marked seen in {@code epoch}.
     */
    boolean put(byte[] key, int koff, byte[] value, int voff, int epoch) {
        int i = find(key, koff);
        if (i >= 0) {
            seen[i] = epoch;
            if (Arrays.equals(values, i * valueSize, (i + 1) * valueSize, value, voff, voff + valueSize)) {
                return false;
            }
            System.arraycopy(value, voff, values, i * valueSize, valueSize);
            return true;
        }
        if ((size + 1) * 2 > mask + 1) {
            grow();
        }
        i = hash(key, koff) & mask;
        while (used[i]) {
            i = (i + 1) & mask;
        }
        used[i] = true;
        seen[i] = epoch;
        System.arraycopy(key, koff, keys, i * keySize, keySize);
        System.arraycopy(value, voff, values, i * valueSize, valueSize);
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
        for (int j = (i + 1) & mask; used[j]; j = (j + 1) & mask) {
            int home = hash(keys, j * keySize) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                move(j, hole);
                hole = j;
            }
        }
        used[hole] = false;
        size--;
        return true;
    }

    /** Marks a present key seen in epoch; false if absent. */
    boolean markSeen(byte[] key, int koff, int epoch) {
        int i = find(key, koff);
        if (i >= 0) {
            seen[i] = epoch;
        }
        return i >= 0;
    }

    byte[] value(int slot) {
        return Arrays.copyOfRange(values, slot * valueSize, (slot + 1) * valueSize);
    }

    byte[] key(int slot) {
        return Arrays.copyOfRange(keys, slot * keySize, (slot + 1) * keySize);
    }

    /** Slots in use, for iteration: slot indexes below capacity(). */
    boolean used(int slot) {
        return used[slot];
    }

    int seenIn(int slot) {
        return seen[slot];
    }

    int capacity() {
        return mask + 1;
    }

    private void move(int from, int to) {
        System.arraycopy(keys, from * keySize, keys, to * keySize, keySize);
        System.arraycopy(values, from * valueSize, values, to * valueSize, valueSize);
        seen[to] = seen[from];
        used[to] = true;
    }

    private void grow() {
        byte[] oldKeys = keys;
        byte[] oldValues = values;
        int[] oldSeen = seen;
        boolean[] oldUsed = used;
        allocate((mask + 1) * 2);
        for (int i = 0; i < oldUsed.length; i++) {
            if (oldUsed[i]) {
                put(oldKeys, i * keySize, oldValues, i * valueSize, oldSeen[i]);
            }
        }
    }

    private int hash(byte[] key, int off) {
        int h = 0x9747b28c;
        for (int i = off; i < off + keySize; i++) {
            h = (h ^ (key[i] & 0xff)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }
}
