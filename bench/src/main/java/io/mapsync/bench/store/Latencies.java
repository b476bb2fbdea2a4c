package io.mapsync.bench.store;

import java.util.Arrays;

/** Latency samples in nanoseconds, recorded from many threads, summarised as percentiles. */
final class Latencies {
  private long[] values = new long[1 << 16];
  private int size;

  synchronized void record(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  synchronized int count() {
    return size;
  }

  /** The p-th percentile (0-100) in milliseconds, or NaN without samples. */
  synchronized double percentileMillis(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * size) - 1;
    return sorted[Math.max(0, Math.min(size - 1, index))] / 1e6;
  }
}
