package io.mapsync.bench.capture;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.ProgramStats;
import io.mapsync.bpf.RunTimeStats;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.bpf.capture.CaptureSession;
import io.mapsync.bpf.capture.ChangeSink;
import io.mapsync.bpf.capture.MapChange;
import io.mapsync.bpf.capture.Tier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cost of one bpf() map update through BpfMap.update: with no probe, with the syscall probe
 * attached but the map not watched, and with the map watched and every update captured and
 * delivered.
 */
final class UpdateCostBench {
  /**
   * Nanoseconds per update, medians over runs: wall clock, and the writer thread's CPU time (user
   * plus kernel), which leaves out the time the writer waited for a CPU: on a small shared machine
   * the capture thread and other tenants compete for the writer's core, and wall time then measures
   * the competition rather than the probe.
   */
  record Result(
      double bareNs,
      double unwatchedNs,
      double capturedNs,
      double bareCpuNs,
      double capturedCpuNs,
      double probeNsPerUpdate,
      long expected,
      long delivered) {
    double addedNs() {
      return capturedNs - bareNs;
    }

    double addedCpuNs() {
      return capturedCpuNs - bareCpuNs;
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private UpdateCostBench() {}

  static Result run(int updates, int runs) {
    byte[][] keys = BenchMaps.keys(65536, 4);
    byte[] value = BenchMaps.value(8, 42);
    try (BpfMap map = BenchMaps.hash("bench_upd", 4, 8, 65536);
        BpfMap other = BenchMaps.hash("bench_other", 4, 8, 16)) {
      loop(map, keys, value, updates); // warm up the JIT and the map's buckets
      double[] bare = new double[runs];
      double[] unwatched = new double[runs];
      double[] captured = new double[runs];
      double[] bareCpu = new double[runs];
      double[] capturedCpu = new double[runs];
      AtomicLong delivered = new AtomicLong();
      ChangeSink count =
          new ChangeSink() {
            @Override
            public void onChange(MapChange change) {
              delivered.incrementAndGet();
            }
          };
      for (int r = 0; r < runs; r++) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        bare[r] = loop(map, keys, value, updates);
        bareCpu[r] = (THREADS.getCurrentThreadCpuTime() - cpu) / (double) updates;
      }
      try (RunTimeStats stats = RunTimeStats.enable();
          CaptureSession session = CaptureSession.builder(count).captureOwnProcess(true).build()) {
        session.add(other, Tier.SYSCALL);
        for (int r = 0; r < runs; r++) {
          unwatched[r] = loop(map, keys, value, updates);
        }
        session.add(map, Tier.SYSCALL);
        ProgramStats before = session.syscallProbeStats();
        for (int r = 0; r < runs; r++) {
          long cpu = THREADS.getCurrentThreadCpuTime();
          captured[r] = loop(map, keys, value, updates);
          capturedCpu[r] = (THREADS.getCurrentThreadCpuTime() - cpu) / (double) updates;
        }
        ProgramStats after = session.syscallProbeStats();
        double probeNs =
            (after.runTimeNs() - before.runTimeNs())
                / (double) Math.max(1, after.runCount() - before.runCount());
        long expected = (long) updates * runs;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (delivered.get() < expected && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        return new Result(
            BenchMaps.median(bare),
            BenchMaps.median(unwatched),
            BenchMaps.median(captured),
            BenchMaps.median(bareCpu),
            BenchMaps.median(capturedCpu),
            probeNs,
            expected,
            delivered.get());
      }
    }
  }

  private static double loop(BpfMap map, byte[][] keys, byte[] value, int updates) {
    long start = System.nanoTime();
    for (int i = 0; i < updates; i++) {
      map.update(keys[i & 65535], value, UpdateFlag.ANY);
    }
    return (System.nanoTime() - start) / (double) updates;
  }
}
