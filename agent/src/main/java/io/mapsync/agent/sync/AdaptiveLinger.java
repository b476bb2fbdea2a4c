package io.mapsync.agent.sync;

/**
 * Decides whether a batch's first delta waits for company, from the recent gap between captured
 * changes: at a low rate no company comes within the linger, so waiting only adds latency and burns
 * the batcher's CPU in its spin; at a high rate the linger gathers more deltas per entry. Not
 * thread-safe: the batcher calls it under its lock.
 */
final class AdaptiveLinger {
  /** A gap longer than this says nothing more about the rate (and keeps the average in range). */
  private static final long GAP_CAP_NANOS = 1_000_000_000L;

  /** Weight of one new gap in the moving average, as a shift: 1/8. */
  private static final int SMOOTHING_SHIFT = 3;

  private final long lingerNanos;
  private long averageGapNanos = GAP_CAP_NANOS;
  private long lastArrivalNanos;
  private boolean seenOne;

  AdaptiveLinger(long lingerNanos) {
    this.lingerNanos = lingerNanos;
  }

  /** Records a captured change at this monotonic time. */
  void arrived(long nowNanos) {
    if (seenOne) {
      long gap = Math.min(Math.max(nowNanos - lastArrivalNanos, 0), GAP_CAP_NANOS);
      averageGapNanos += (gap - averageGapNanos) >> SMOOTHING_SHIFT;
    }
    seenOne = true;
    lastArrivalNanos = nowNanos;
  }

  /**
   * How long the batch just opened should wait: the linger if a next change is due within it, else
   * 0.
   */
  long lingerNanos() {
    return averageGapNanos < lingerNanos ? lingerNanos : 0;
  }

  long averageGapNanos() {
    return averageGapNanos;
  }
}
