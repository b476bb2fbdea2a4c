package io.mapsync.bench.etcd;

import io.mapsync.store.StateStore;
import io.mapsync.wire.DeltaBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Offers deltas at a fixed rate, whatever the store does (open loop), and batches them the way the
 * agent does: each origin keeps at most one batch in flight, and the next batch takes whatever
 * arrived meanwhile, up to the batch limit. A delta's latency runs from the moment it was due, not
 * from when it was sent, so a store that falls behind shows it (no coordinated omission). The
 * achieved rate counts the measured deltas committed before the measurement window closed.
 */
final class OpenLoopLoad {
  private static final long DRAIN_SECONDS = 60;

  private final StateStore store;
  private final BenchOptions options;
  private final BenchDeltas deltas;

  OpenLoopLoad(StateStore store, BenchOptions options) {
    this.store = store;
    this.options = options;
    this.deltas = new BenchDeltas(options);
  }

  /** One delta waiting to be proposed: its sequence number and when it was due. */
  private record Pending(long index, long dueNanos) {}

  /** One agent: its queue of due deltas and its single in-flight batch. */
  private final class Origin {
    final String name;
    final ArrayDeque<Pending> queue = new ArrayDeque<>();
    final LatencySamples samples;
    final long countFrom;
    final long countUntil;
    final AtomicLong committed;
    final AtomicLong errors;
    long batchSeq;
    boolean inFlight;
    long batches;
    long batchedDeltas;

    Origin(
        String name,
        LatencySamples samples,
        long countFrom,
        long countUntil,
        AtomicLong committed,
        AtomicLong errors) {
      this.name = name;
      this.samples = samples;
      this.countFrom = countFrom;
      this.countUntil = countUntil;
      this.committed = committed;
      this.errors = errors;
    }

    synchronized void offer(Pending p) {
      queue.add(p);
      sendIfIdle();
    }

    private void sendIfIdle() {
      if (inFlight || queue.isEmpty()) {
        return;
      }
      List<Pending> taken = new ArrayList<>();
      DeltaBatch.Builder batch = DeltaBatch.newBuilder().setOrigin(name).setBatchSeq(++batchSeq);
      long wallOffset = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
      while (!queue.isEmpty() && taken.size() < options.maxBatch()) {
        Pending p = queue.poll();
        taken.add(p);
        batch.addDeltas(deltas.delta(name, p.index(), p.dueNanos() + wallOffset));
      }
      inFlight = true;
      batches++;
      batchedDeltas += taken.size();
      store
          .propose(batch.build())
          .whenComplete(
              (commit, error) -> {
                long now = System.nanoTime();
                for (Pending p : taken) {
                  if (p.dueNanos() >= countFrom) {
                    if (error == null) {
                      samples.add(now - p.dueNanos());
                      if (now <= countUntil) {
                        committed.incrementAndGet();
                      }
                    } else {
                      errors.incrementAndGet();
                    }
                  }
                }
                synchronized (this) {
                  inFlight = false;
                  sendIfIdle();
                }
              });
    }

    synchronized boolean drained() {
      return queue.isEmpty() && !inFlight;
    }
  }

  EtcdBenchReport.RateRun run(int rate, String runId) throws InterruptedException {
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    long countFrom = start + options.warmup().toNanos();
    long end = countFrom + options.duration().toNanos();
    LatencySamples samples = new LatencySamples();
    AtomicLong committed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Origin> origins = new ArrayList<>();
    for (int o = 0; o < options.origins(); o++) {
      origins.add(
          new Origin("bench-" + runId + "-" + o, samples, countFrom, end, committed, errors));
    }
    long offered = 0;
    long measuredOffered = 0;
    long intervalNanos = 1_000_000_000L / rate;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      long due = now < start ? 0 : (now - start) / intervalNanos + 1;
      while (offered < due) {
        long dueAt = start + offered * intervalNanos;
        if (dueAt >= countFrom) {
          measuredOffered++;
        }
        origins.get((int) (offered % origins.size())).offer(new Pending(offered, dueAt));
        offered++;
      }
      LockSupport.parkNanos(100_000);
    }
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
    while (!origins.stream().allMatch(Origin::drained) && System.nanoTime() < drainDeadline) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
    long batches = 0;
    long batched = 0;
    for (Origin o : origins) {
      synchronized (o) {
        batches += o.batches;
        batched += o.batchedDeltas;
      }
    }
    double seconds = options.duration().toNanos() / 1e9;
    return new EtcdBenchReport.RateRun(
        rate,
        measuredOffered / seconds,
        committed.get() / seconds,
        samples.percentileMillis(50),
        samples.percentileMillis(90),
        samples.percentileMillis(99),
        samples.maxMillis(),
        batches == 0 ? 0 : (double) batched / batches,
        errors.get());
  }
}
