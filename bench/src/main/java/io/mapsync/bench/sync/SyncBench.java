package io.mapsync.bench.sync;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.UpdateFlag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end propagation on one host: this process writes sequence-numbered keys into agent A's map
 * with bpf(); A captures, proposes, the log commits, B applies; {@link VisibilityProbe} sees B's
 * write in the kernel. All on CLOCK_MONOTONIC, so the figure is capture + batching + consensus +
 * apply, the whole path of the thesis's 96 ms.
 */
final class SyncBench {
  private final BpfMap source;
  private final VisibilityProbe probe;

  /** Keys cycle through this many slots; the value carries the sequence number. */
  static final int KEY_SLOTS = 65_536;

  private long nextSeq;

  /** When the schedule of the last phase ended. */
  private long nextFree;

  SyncBench(BpfMap source, VisibilityProbe probe) {
    this.source = source;
    this.probe = probe;
  }

  /** Latencies of one fixed-rate phase, in microseconds, sorted; missing writes count as lost. */
  record RateResult(double offeredPerSecond, long[] latenciesMicros, long lost) {
    double percentile(double p) {
      if (latenciesMicros.length == 0) {
        return Double.NaN;
      }
      return latenciesMicros[
          Math.min(latenciesMicros.length - 1, (int) Math.floor(p * latenciesMicros.length))];
    }
  }

  private long write() {
    long seq = nextSeq++;
    byte[] key =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(seq % KEY_SLOTS).array();
    byte[] value = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(seq).array();
    source.update(key, value, UpdateFlag.ANY);
    return seq;
  }

  /** Writes at a fixed offered rate (open loop: latency counts from the scheduled time). */
  RateResult fixedRate(double perSecond, Duration duration, Duration settle) {
    Scheduled s = schedule(perSecond, duration, false);
    awaitVisible(s.firstSeq(), nextSeq, settle);
    return collect(s, perSecond);
  }

  /** Writes that were offered: the first one's sequence number and each one's scheduled time. */
  record Scheduled(long firstSeq, long[] scheduledAt) {}

  /**
   * Writes at a fixed offered rate for a while, without waiting for them to arrive.
   *
   * @param continuing start where the previous schedule ended (back-to-back phases), so a writer
   *     that fell behind its schedule does not reset the clock and hide the delay
   */
  Scheduled schedule(double perSecond, Duration duration, boolean continuing) {
    long count = (long) (perSecond * duration.toNanos() / 1e9);
    long first = nextSeq;
    long[] scheduled = new long[(int) count];
    long interval = (long) (1e9 / perSecond);
    long start = continuing && nextFree != 0 ? nextFree : System.nanoTime() + 1_000_000;
    for (int i = 0; i < count; i++) {
      long at = start + i * interval;
      while (System.nanoTime() < at) {
        long left = at - System.nanoTime();
        if (left > 200_000) {
          LockSupport.parkNanos(left - 100_000);
        } else {
          Thread.onSpinWait();
        }
      }
      scheduled[i] = at;
      write();
    }
    nextFree = start + count * interval;
    return new Scheduled(first, scheduled);
  }

  /** The latencies of offered writes as they stand now; those not visible yet count as lost. */
  RateResult collect(Scheduled s, double perSecond) {
    long[] scheduled = s.scheduledAt();
    long[] lat = new long[scheduled.length];
    int n = 0;
    long lost = 0;
    for (int i = 0; i < scheduled.length; i++) {
      long seen = probe.visibleAt(s.firstSeq() + i);
      if (seen == 0) {
        lost++;
      } else {
        lat[n++] = Math.max(0, seen - scheduled[i]) / 1000;
      }
    }
    long[] sorted = Arrays.copyOf(lat, n);
    Arrays.sort(sorted);
    return new RateResult(perSecond, sorted, lost);
  }

  /** Writes a burst back to back; returns microseconds from its first write to its last arrival. */
  long burst(int size, Duration settle) {
    long first = nextSeq;
    long started = System.nanoTime();
    for (int i = 0; i < size; i++) {
      write();
    }
    awaitVisible(first, nextSeq, settle);
    long last = 0;
    for (long s = first; s < nextSeq; s++) {
      long seen = probe.visibleAt(s);
      if (seen == 0) {
        return -1;
      }
      last = Math.max(last, seen);
    }
    return (last - started) / 1000;
  }

  /** Offers a rate for a while; true if B kept up (everything visible shortly after). */
  boolean sustains(double perSecond, Duration duration) {
    RateResult r = fixedRate(perSecond, duration, Duration.ofSeconds(2));
    return r.lost() == 0 && r.percentile(0.99) < 1_000_000;
  }

  /**
   * Waits (at most the timeout) until the last write so far arrived, so the next phase does not
   * start behind a backlog of this one. B applies in log order: the last one there means all are.
   */
  void drain(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (nextSeq > 0 && probe.visibleAt(nextSeq - 1) == 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
  }

  private void awaitVisible(long from, long to, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (probe.visibleAt(to - 1) != 0) {
        boolean all = true;
        for (long s = from; s < to && all; s++) {
          all = probe.visibleAt(s) != 0;
        }
        if (all) {
          return;
        }
      }
      LockSupport.parkNanos(200_000);
    }
  }
}
