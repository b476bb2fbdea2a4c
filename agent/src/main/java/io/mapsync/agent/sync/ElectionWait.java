package io.mapsync.agent.sync;

import io.mapsync.store.StoreException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up steps (register a map, read the bootstrap snapshot) wait out an election instead of
 * failing the agent: on a crowded host, or with dozens of listeners starting at once, the leader
 * known a moment ago can step down between the quorum wait and the read, or the Raft client give up
 * on one request and be replaced, or a request time out. Both steps are safe to repeat (an
 * identical spec registers idempotently; a read changes nothing), so NO_LEADER, UNAVAILABLE and
 * TIMEOUT are retried; every other failure (a rejected spec, a broken disk) still stops the start.
 */
final class ElectionWait {
  private static final Logger LOG = LoggerFactory.getLogger(ElectionWait.class);
  private static final long REPORT_EVERY_NANOS = 3_000_000_000L;

  private static final java.util.Set<StoreException.Reason> TRANSIENT =
      java.util.EnumSet.of(
          StoreException.Reason.NO_LEADER,
          StoreException.Reason.UNAVAILABLE,
          StoreException.Reason.TIMEOUT);

  private ElectionWait() {}

  static <T> T retry(String what, Supplier<T> step) {
    long lastReport = 0;
    while (true) {
      try {
        return step.get();
      } catch (StoreException e) {
        if (!TRANSIENT.contains(e.reason())) {
          throw e;
        }
        if (System.nanoTime() - lastReport > REPORT_EVERY_NANOS) {
          LOG.warn("could not {} yet ({}); retrying: {}", what, e.reason(), e.getMessage());
          lastReport = System.nanoTime();
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
