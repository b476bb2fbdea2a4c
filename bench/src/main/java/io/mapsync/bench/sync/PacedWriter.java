package io.mapsync.bench.sync;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.UpdateFlag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop bpf() writes at a fixed rate into one agent's map: key = seq mod slots, value = seq,
 * and the time each write was scheduled (latency counts from there, not from when it happened).
 */
final class PacedWriter {
  private final BpfMap target;
  private final int slots;
  private long nextSeq;

  PacedWriter(BpfMap target, int slots) {
    this.target = target;
    this.slots = slots;
  }

  /** One phase of writes; returns their sequence numbers' first and the schedule (ns) of each. */
  record Phase(long firstSeq, long[] scheduledNs) {
    long lastSeq() {
      return firstSeq + scheduledNs.length - 1;
    }
  }

  Phase run(double perSecond, Duration duration) {
    int count = (int) (perSecond * duration.toNanos() / 1e9);
    long first = nextSeq;
    long[] scheduled = new long[count];
    long interval = (long) (1e9 / perSecond);
    long start = System.nanoTime() + 1_000_000;
    for (int i = 0; i < count; i++) {
      long at = start + i * interval;
      for (long left = at - System.nanoTime(); left > 0; left = at - System.nanoTime()) {
        if (left > 200_000) {
          LockSupport.parkNanos(left - 100_000);
        } else {
          Thread.onSpinWait();
        }
      }
      scheduled[i] = at;
      long seq = nextSeq++;
      target.update(le(seq % slots), le(seq), UpdateFlag.ANY);
    }
    return new Phase(first, scheduled);
  }

  static byte[] le(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }
}
