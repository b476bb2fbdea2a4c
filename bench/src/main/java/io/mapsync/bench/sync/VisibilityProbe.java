package io.mapsync.bench.sync;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.capture.CaptureSession;
import io.mapsync.bpf.capture.ChangeSink;
import io.mapsync.bpf.capture.MapChange;
import io.mapsync.bpf.capture.Tier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sees the moment a replicated entry lands in another agent's map: the syscall tier captures that
 * agent's own bpf() write, with the kernel's CLOCK_MONOTONIC timestamp, so "visible in B" is
 * measured in the kernel, not by polling. Values carry sequence numbers; the first arrival of each
 * is kept.
 */
final class VisibilityProbe implements ChangeSink, AutoCloseable {
  private final CaptureSession session;
  private final AtomicLongArray visibleAt;
  private final AtomicLong seen = new AtomicLong();

  VisibilityProbe(BpfMap target, int capacity) {
    this.visibleAt = new AtomicLongArray(capacity);
    // No idle spin: arrival times are the kernel's, so a sleeping reader loses no precision, and
    // a spinning one would take CPU from the agents being measured.
    this.session = CaptureSession.builder(this).idleSpin(java.time.Duration.ZERO).build();
    session.add(target, Tier.SYSCALL);
  }

  @Override
  public void onChange(MapChange change) {
    if (change.op() != MapChange.Op.PUT) {
      return;
    }
    long seq = ByteBuffer.wrap(change.value()).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (seq >= 0
        && seq < visibleAt.length()
        && visibleAt.compareAndSet((int) seq, 0, change.timestampNs())) {
      seen.incrementAndGet();
    }
  }

  /** When key seq became visible (CLOCK_MONOTONIC ns), or 0 if not yet. */
  long visibleAt(long seq) {
    return visibleAt.get((int) seq);
  }

  long seen() {
    return seen.get();
  }

  @Override
  public void close() {
    session.close();
  }
}
