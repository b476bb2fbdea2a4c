package io.mapsync.bench.etcd;

import java.util.Arrays;

/**
 * Latencies of one measurement, in microseconds, with exact percentiles (nearest rank).
 * Thread-safe.
 */
final class LatencySamples {
  private long[] micros = new long[1024];
  private int size;

  synchronized void add(long nanos) {
    if (size == micros.length) {
      micros = Arrays.copyOf(micros, size * 2);
    }
    micros[size++] = nanos / 1000;
  }

  synchronized int count() {
    return size;
  }

  /** The p-th percentile (0 < p <= 100) in milliseconds, or NaN without samples. */
  synchronized double percentileMillis(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(micros, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size, rank) - 1)] / 1000.0;
  }

  synchronized double maxMillis() {
    long max = 0;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, micros[i]);
    }
    return size == 0 ? Double.NaN : max / 1000.0;
  }
}
