package io.mapsync.bench.etcd;

import io.mapsync.store.StateStore;
import io.mapsync.wire.DeltaBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most deltas per second the store sustains with batches of a given size: every origin sends a
 * full batch, waits for its commit and sends the next (closed loop), as an agent does when its
 * capture queue never runs dry.
 */
final class SaturationLoad {
  private final StateStore store;
  private final BenchOptions options;
  private final BenchDeltas deltas;

  SaturationLoad(StateStore store, BenchOptions options) {
    this.store = store;
    this.options = options;
    this.deltas = new BenchDeltas(options);
  }

  EtcdBenchReport.SaturationRun run(int batchSize, String runId) throws Exception {
    long start = System.nanoTime();
    long countFrom = start + options.warmup().toNanos();
    long end = countFrom + options.duration().toNanos();
    AtomicLong committed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    LatencySamples batchLatency = new LatencySamples();
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(options.origins());
    for (int o = 0; o < options.origins(); o++) {
      String origin = "sat-" + runId + "-" + o;
      loops.add(
          CompletableFuture.runAsync(
              () -> {
                long seq = 0;
                long index = 0;
                while (System.nanoTime() < end) {
                  DeltaBatch.Builder batch =
                      DeltaBatch.newBuilder().setOrigin(origin).setBatchSeq(++seq);
                  long wallNow = System.currentTimeMillis() * 1_000_000;
                  for (int i = 0; i < batchSize; i++) {
                    batch.addDeltas(deltas.delta(origin, index++, wallNow));
                  }
                  long sent = System.nanoTime();
                  try {
                    store.propose(batch.build()).get(60, TimeUnit.SECONDS);
                    long done = System.nanoTime();
                    if (sent >= countFrom && done <= end) {
                      committed.addAndGet(batchSize);
                      batchLatency.add(done - sent);
                    }
                  } catch (Exception e) {
                    errors.incrementAndGet();
                  }
                }
              },
              threads));
    }
    try {
      CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get();
    } finally {
      threads.shutdown();
    }
    double seconds = options.duration().toNanos() / 1e9;
    return new EtcdBenchReport.SaturationRun(
        batchSize,
        options.origins(),
        committed.get() / seconds,
        batchLatency.count() / seconds,
        batchLatency.percentileMillis(50),
        batchLatency.percentileMillis(99),
        errors.get());
  }
}
