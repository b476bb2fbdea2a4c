package io.mapsync.agent.sync;

import java.time.Duration;

/**
 * How captured deltas are grouped into log entries.
 *
 * @param maxDeltas close a batch at this many deltas
 * @param linger how long the first delta of a batch waits for company; short, because while a batch
 *     is in flight the next one fills up anyway
 * @param retryBackoffMax the longest pause between retries of a batch the store could not take
 */
public record BatchPolicy(int maxDeltas, Duration linger, Duration retryBackoffMax) {
  public static final BatchPolicy DEFAULT =
      new BatchPolicy(4096, Duration.ofNanos(100_000), Duration.ofSeconds(1));
}
