package io.mapsync.bench.capture;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.bpf.capture.CaptureSession;
import io.mapsync.bpf.capture.ChangeSink;
import io.mapsync.bpf.capture.MapChange;
import io.mapsync.bpf.capture.Tier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Captured events per second: a producer writes update batches (each element becomes one ring
 * record, emitted in-kernel by bpf_loop), paced at a target rate; a run counts as lossless when
 * every record arrived and the BPF side dropped none. Rates double until a run loses records.
 */
final class ThroughputBench {
  record Run(
      double targetPerSec,
      long produced,
      long captured,
      long dropped,
      double producedPerSec,
      double capturedPerSec) {
    boolean lossless() {
      return dropped == 0 && captured == produced;
    }
  }

  record Result(double maxLosslessPerSec, List<Run> runs) {}

  private ThroughputBench() {}

  static Result run(double seconds, int ringBytes) {
    List<Run> runs = new ArrayList<>();
    double best = 0;
    for (double target = 250_000; target <= 8_000_000; target *= 2) {
      Run r = once(target, seconds, ringBytes);
      runs.add(r);
      if (!r.lossless()) {
        break;
      }
      best = Math.max(best, r.capturedPerSec);
    }
    return new Result(best, runs);
  }

  private static Run once(double target, double seconds, int ringBytes) {
    int batch = 512;
    List<byte[]> keys = Arrays.asList(BenchMaps.keys(batch, 4));
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      values.add(BenchMaps.value(8, i));
    }
    AtomicLong captured = new AtomicLong();
    AtomicLong last = new AtomicLong();
    ChangeSink sink =
        new ChangeSink() {
          @Override
          public void onChange(MapChange change) {
            captured.incrementAndGet();
            last.set(System.nanoTime());
          }
        };
    try (BpfMap map = BenchMaps.hash("bench_tput", 4, 8, batch);
        CaptureSession session =
            CaptureSession.builder(sink).captureOwnProcess(true).ringSize(ringBytes).build()) {
      session.add(map, Tier.SYSCALL);
      long produced = 0;
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long now;
      while ((now = System.nanoTime()) < end) {
        if (produced < (now - start) * target / 1e9) {
          produced += map.updateBatch(keys, values, UpdateFlag.ANY);
        } else {
          Thread.onSpinWait();
        }
      }
      long producerNanos = System.nanoTime() - start;
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (captured.get() < produced
          && System.nanoTime() < deadline
          && session.stats(map.id()).dropped() == 0) {
        Thread.onSpinWait();
      }
      long dropped = session.stats(map.id()).dropped();
      long got =
          Math.min(captured.get(), produced); // a rescan after drops may add scan-tier changes
      double consumerNanos = Math.max(producerNanos, last.get() - start);
      return new Run(
          target,
          produced,
          got,
          dropped,
          produced / (producerNanos / 1e9),
          got / (consumerNanos / 1e9));
    }
  }
}
