package io.mapsync.bpf.capture;

import io.mapsync.bpf.capture.MapChange.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scan tier and every rescan: dump the map, then diff the dump against the shadow and report
 * the puts and deletes that were not reported yet. Keys the agent applied or the rings reported
 * while the dump ran are left out of that diff: their newer value is already in the shadow, and a
 * scan that re-reported the dump's older value would make the cluster flip-flop.
 */
final class Scanner {
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private Scanner() {}

  /** A dump held as the kernel returned it, batch by batch. */
  private record Batch(byte[] keys, byte[] values, int count) {}

  /**
   * @param drain empties the rings, so changes made before the dump are reported (and dirty) before
   *     the diff
   * @param sink null for a silent baseline that only fills the shadow
   */
  static void scan(WatchedMap w, Runnable drain, ChangeSink sink) {
    long start = System.nanoTime();
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    drain.run();
    synchronized (w) {
      w.scanning = true;
      w.dirty.clear();
    }
    int ks = w.info.keySize();
    int vs = w.info.userValueSize();
    List<Batch> dump = new ArrayList<>();
    long entries;
    try {
      entries =
          w.map.forEachBatch(
              (keys, values, count) ->
                  dump.add(
                      new Batch(
                          Arrays.copyOf(keys, count * ks),
                          Arrays.copyOf(values, count * vs),
                          count)));
      drain.run();
    } catch (RuntimeException e) {
      synchronized (w) {
        w.scanning = false;
        w.dirty.clear();
      }
      throw e;
    }
    long now = System.nanoTime();
    synchronized (w) {
      int epoch = ++w.epoch;
      ShadowTable shadow = w.shadow;
      for (Batch b : dump) {
        for (int i = 0; i < b.count; i++) {
          if (!w.dirty.isEmpty() && w.dirty.contains(ByteKey.copyOf(b.keys, i * ks, ks))) {
            continue;
          }
          if (shadow.put(b.keys, i * ks, b.values, i * vs, epoch) && sink != null) {
            report(
                w,
                sink,
                Op.PUT,
                Arrays.copyOfRange(b.keys, i * ks, (i + 1) * ks),
                Arrays.copyOfRange(b.values, i * vs, (i + 1) * vs),
                now);
          }
        }
      }
      List<byte[]> gone = new ArrayList<>();
      for (int slot = 0; slot < shadow.capacity(); slot++) {
        if (shadow.used(slot) && !shadow.seenIn(slot, epoch)) {
          byte[] key = shadow.key(slot);
          if (w.dirty.isEmpty() || !w.dirty.contains(new ByteKey(key))) {
            gone.add(key);
          }
        }
      }
      for (byte[] key : gone) {
        shadow.remove(key, 0);
        if (sink != null) {
          report(w, sink, Op.DELETE, key, null, now);
        }
      }
      w.scanning = false;
      w.dirty.clear();
    }
    w.scans++;
    w.lastScanEntries = entries;
    w.lastScanNanos = System.nanoTime() - start;
    w.lastScanCpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
  }

  private static void report(
      WatchedMap w, ChangeSink sink, Op op, byte[] key, byte[] value, long now) {
    w.captured++;
    sink.onChange(new MapChange(Tier.SCAN, w.id(), w.info.name(), op, key, value, 0, now));
  }
}
