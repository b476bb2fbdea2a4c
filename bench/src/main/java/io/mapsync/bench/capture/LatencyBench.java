package io.mapsync.bench.capture;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.bpf.capture.CaptureSession;
import io.mapsync.bpf.capture.ChangeSink;
import io.mapsync.bpf.capture.MapChange;
import io.mapsync.bpf.capture.Tier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Time from the end of a bpf() update (the probe's bpf_ktime_get_ns) to the sink's callback
 * (System.nanoTime, the same CLOCK_MONOTONIC), for updates paced at a given rate: a steady rate
 * keeps the reader polling, a slow one lets it sleep and measures the wake-up path.
 */
final class LatencyBench {
  record Result(double ratePerSec, long samples, double p50Us, double p99Us, double maxUs) {}

  private LatencyBench() {}

  static Result run(double ratePerSec, int updates) {
    Histogram h = new Histogram(3_600_000_000L, 3);
    AtomicLong seen = new AtomicLong();
    ChangeSink sink =
        new ChangeSink() {
          @Override
          public void onChange(MapChange change) {
            h.recordValue(Math.max(0, System.nanoTime() - change.timestampNs()));
            seen.incrementAndGet();
          }
        };
    byte[][] keys = BenchMaps.keys(1024, 4);
    byte[] value = BenchMaps.value(8, 7);
    try (BpfMap map = BenchMaps.hash("bench_lat", 4, 8, 1024);
        CaptureSession session = CaptureSession.builder(sink).captureOwnProcess(true).build()) {
      session.add(map, Tier.SYSCALL);
      for (int i = 0; i < 20_000; i++) { // warm-up, not recorded
        map.update(keys[i & 1023], value, UpdateFlag.ANY);
        if ((i & 63) == 0) {
          LockSupport.parkNanos(50_000);
        }
      }
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (seen.get() < 20_000 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      synchronized (h) {
        h.reset();
      }
      seen.set(0);
      long interval = (long) (1e9 / ratePerSec);
      long next = System.nanoTime();
      for (int i = 0; i < updates; i++) {
        // Park most of the gap: a writer spinning on one of two cores would measure CPU contention,
        // not capture.
        long gap = next - System.nanoTime();
        if (gap > 60_000) {
          LockSupport.parkNanos(gap - 55_000);
        }
        while (System.nanoTime() < next) {
          Thread.onSpinWait();
        }
        map.update(keys[i & 1023], value, UpdateFlag.ANY);
        next += interval;
      }
      deadline = System.nanoTime() + 2_000_000_000L;
      while (seen.get() < updates && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      return new Result(
          ratePerSec,
          h.getTotalCount(),
          h.getValueAtPercentile(50) / 1e3,
          h.getValueAtPercentile(99) / 1e3,
          h.getMaxValue() / 1e3);
    }
  }
}
