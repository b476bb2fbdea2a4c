package io.mapsync.bench.store;

import io.mapsync.store.StateStore;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load: deltas are scheduled by the clock at a fixed rate, and each one's latency is
 * counted from its scheduled time, so a slow commit delays (and is charged to) every delta queued
 * behind it instead of silently lowering the offered rate.
 *
 * <p>Deltas are batched the way the agent batches: whatever is due is sent at once while fewer than
 * {@code maxInFlight} proposals are outstanding; otherwise it waits for one to complete, and the
 * deltas due meanwhile go out together (up to {@code maxBatch}). At low rates every delta travels
 * alone; at high rates batches grow.
 */
final class FixedRateLoad {
  /** What one run measured. */
  record Result(
      double offeredPerSec,
      double committedPerSec,
      double meanBatch,
      long errors,
      Latencies commit) {}

  private final StateStore store;
  private final DeltaSource source;
  private final int maxInFlight;
  private final int maxBatch;

  FixedRateLoad(StateStore store, DeltaSource source, int maxInFlight, int maxBatch) {
    this.store = store;
    this.source = source;
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
  }

  /** How many deltas are due at {@code now}: delta i is due at start + i * period. */
  private static long due(long now, long start, double period, long total) {
    return now < start ? 0 : Math.min((long) ((now - start) / period) + 1, total);
  }

  Result run(double perSecond, Duration duration) throws InterruptedException {
    Latencies commit = new Latencies();
    Semaphore inFlight = new Semaphore(maxInFlight);
    AtomicLong committed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    double period = 1e9 / perSecond;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
    long end = start + duration.toNanos();
    long sent = 0;
    long batches = 0;
    long total = (long) (duration.toNanos() / period);
    while (true) {
      long now = System.nanoTime();
      if (due(now, start, period, total) > sent) {
        // Wait for a free slot; what falls due meanwhile joins this batch.
        inFlight.acquire();
        long due = due(System.nanoTime(), start, period, total);
        int n = (int) Math.min(due - sent, maxBatch);
        long[] stamps = new long[n];
        for (int i = 0; i < n; i++) {
          stamps[i] = start + (long) ((sent + i) * period);
        }
        store
            .propose(source.batch(stamps, n))
            .whenComplete(
                (c, e) -> {
                  long t = System.nanoTime();
                  inFlight.release();
                  if (e != null) {
                    errors.incrementAndGet();
                    return;
                  }
                  committed.addAndGet(stamps.length);
                  for (long s : stamps) {
                    commit.record(t - s);
                  }
                });
        sent += n;
        batches++;
        continue;
      }
      if (now >= end) {
        break;
      }
      LockSupport.parkNanos(Math.max(1_000, start + (long) (sent * period) - now));
    }
    if (!inFlight.tryAcquire(maxInFlight, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("proposals still outstanding 60 s after the run");
    }
    double seconds = duration.toNanos() / 1e9;
    return new Result(
        perSecond,
        committed.get() / seconds,
        batches == 0 ? 0 : (double) sent / batches,
        errors.get(),
        commit);
  }
}
