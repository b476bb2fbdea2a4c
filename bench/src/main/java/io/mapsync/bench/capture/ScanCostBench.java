package io.mapsync.bench.capture;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.capture.CaptureSession;
import io.mapsync.bpf.capture.ChangeSink;
import io.mapsync.bpf.capture.MapChange;
import io.mapsync.bpf.capture.Tier;
import java.time.Duration;

/**
 * Cost of the scan tier on a large map: a bare BPF_MAP_LOOKUP_BATCH dump, and a full scan (dump
 * plus diff against the shadow, nothing changed).
 */
final class ScanCostBench {
  /**
   * Medians in seconds: wall clock, and CPU time of the thread doing the work (which a loaded
   * machine does not inflate).
   */
  record Result(
      int entries,
      int keySize,
      int valueSize,
      double dumpSeconds,
      double scanSeconds,
      double dumpCpuSeconds,
      double scanCpuSeconds) {}

  private ScanCostBench() {}

  static Result run(int entries, int keySize, int valueSize, int runs) {
    ChangeSink none =
        new ChangeSink() {
          @Override
          public void onChange(MapChange change) {
            throw new IllegalStateException("nothing changed, yet the scan reported " + change);
          }
        };
    try (BpfMap map = BenchMaps.hash("bench_scan", keySize, valueSize, entries)) {
      BenchMaps.fill(map, entries, keySize, valueSize);
      double[] dump = new double[runs];
      double[] dumpCpu = new double[runs];
      java.lang.management.ThreadMXBean threads =
          java.lang.management.ManagementFactory.getThreadMXBean();
      for (int r = 0; r < runs; r++) {
        long start = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        long n = map.forEachBatch((k, v, c) -> {});
        dump[r] = (System.nanoTime() - start) / 1e9;
        dumpCpu[r] = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
        if (n != entries) {
          throw new IllegalStateException("dump read " + n + " entries of " + entries);
        }
      }
      double[] scan = new double[runs];
      double[] scanCpu = new double[runs];
      try (CaptureSession session =
          CaptureSession.builder(none).scanInterval(Duration.ofDays(1)).build()) {
        session.add(map, Tier.SCAN);
        for (int r = 0; r < runs; r++) {
          session.rescan(map.id(), "benchmark");
          scan[r] = session.stats(map.id()).lastScan().toNanos() / 1e9;
          scanCpu[r] = session.stats(map.id()).lastScanCpu().toNanos() / 1e9;
        }
      }
      return new Result(
          entries,
          keySize,
          valueSize,
          BenchMaps.median(dump),
          BenchMaps.median(scan),
          BenchMaps.median(dumpCpu),
          BenchMaps.median(scanCpu));
    }
  }
}
