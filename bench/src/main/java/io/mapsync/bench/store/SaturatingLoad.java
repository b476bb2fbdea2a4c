package io.mapsync.bench.store;

import io.mapsync.store.StateStore;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load for the sustained maximum: {@code inFlight} proposals of {@code batchSize}
 * deltas each are always outstanding; a new one leaves as soon as one completes.
 */
final class SaturatingLoad {
  /** What one run measured. */
  record Result(double deltasPerSec, double batchesPerSec, long errors, Latencies commit) {}

  private final StateStore store;
  private final DeltaSource source;
  private final int inFlight;
  private final int batchSize;

  SaturatingLoad(StateStore store, DeltaSource source, int inFlight, int batchSize) {
    this.store = store;
    this.source = source;
    this.inFlight = inFlight;
    this.batchSize = batchSize;
  }

  Result run(Duration duration) throws InterruptedException {
    Latencies commit = new Latencies();
    Semaphore permits = new Semaphore(inFlight);
    AtomicLong committed = new AtomicLong();
    AtomicLong batches = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    while (System.nanoTime() < end) {
      if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        continue;
      }
      long[] stamps = new long[batchSize];
      long sentAt = System.nanoTime();
      java.util.Arrays.fill(stamps, sentAt);
      store
          .propose(source.batch(stamps, batchSize))
          .whenComplete(
              (c, e) -> {
                long t = System.nanoTime();
                permits.release();
                if (e != null) {
                  errors.incrementAndGet();
                } else if (t <= end) {
                  committed.addAndGet(batchSize);
                  batches.incrementAndGet();
                  commit.record(t - sentAt);
                }
              });
    }
    if (!permits.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("proposals still outstanding 60 s after the run");
    }
    double seconds = duration.toNanos() / 1e9;
    return new Result(committed.get() / seconds, batches.get() / seconds, errors.get(), commit);
  }
}
