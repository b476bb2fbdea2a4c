package io.mapsync.bpf.internal;

import io.mapsync.bpf.EntryBatchConsumer;
import jnr.ffi.Pointer;

/**
 * Reads every entry of a map: BPF_MAP_LOOKUP_BATCH where the kernel has it for the map type,
 * otherwise get-next-key plus lookup one by one.
 */
public final class MapDumper {
  private static final int BATCH = 16384;

  private MapDumper() {}

  /** Feeds all entries to the consumer; returns how many there were. */
  public static long dump(
      int fd,
      int keySize,
      int valueSize,
      int maxEntries,
      String what,
      EntryBatchConsumer consumer) {
    int count = BATCH;
    Pointer attr = Native.allocate(Scratch.ATTR_SIZE);
    int token = Math.max(keySize, 8);
    Pointer tokens = Native.allocate(2L * token);
    long inBatch = 0;
    long total = 0;
    Pointer buf = Native.allocate((long) count * (keySize + valueSize));
    byte[] keys = new byte[count * keySize];
    byte[] values = new byte[count * valueSize];
    while (true) {
      long out = tokens.address() + (inBatch == tokens.address() ? token : 0);
      long r =
          Bpf.lookupBatch(
              fd, inBatch, out, buf.address(), buf.address() + (long) count * keySize, count, attr);
      if (r == -Errors.ENOSPC && count < (1 << 20)) {
        count *= 4; // a hash bucket holds more entries than the batch: grow and retry
        buf = Native.allocate((long) count * (keySize + valueSize));
        keys = new byte[count * keySize];
        values = new byte[count * valueSize];
        continue;
      }
      if (total == 0
          && inBatch == 0
          && (r == -Errors.EINVAL || r == -Errors.ENOTSUPP || r == -Errors.EOPNOTSUPP)) {
        return dumpOneByOne(fd, keySize, valueSize, 2L * maxEntries + 16, what, consumer);
      }
      if (r < 0 && r != -Errors.ENOENT) {
        throw Errors.of((int) -r, what, false);
      }
      int n = Bpf.batchCount(attr);
      if (n > 0) {
        buf.get(0, keys, 0, n * keySize);
        buf.get((long) count * keySize, values, 0, n * valueSize);
        consumer.accept(keys, values, n);
        total += n;
      }
      if (r == -Errors.ENOENT) {
        return total;
      }
      inBatch = out;
    }
  }

  /**
   * A hash map restarts get-next-key from its first key when the current key was deleted meanwhile,
   * so a busy map can repeat entries: callers must tolerate duplicates, and the walk stops after
   * maxSteps keys.
   */
  static long dumpOneByOne(
      int fd, int keySize, int valueSize, long maxSteps, String what, EntryBatchConsumer consumer) {
    long total = 0;
    long steps = 0;
    byte[] key = Bpf.nextKey(fd, null, keySize, what);
    while (key != null && steps++ < maxSteps) {
      byte[] value = Bpf.lookup(fd, key, valueSize, what);
      if (value != null) { // deleted since get-next-key: skip it
        consumer.accept(key, value, 1);
        total++;
      }
      key = Bpf.nextKey(fd, key, keySize, what);
    }
    return total;
  }
}
