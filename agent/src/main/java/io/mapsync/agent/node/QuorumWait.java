package io.mapsync.agent.node;

import io.mapsync.store.ClusterStatus;
import io.mapsync.store.StoreException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds start-up until the embedded store has a leader. Peers that are not running yet are normal
 * when a cluster starts host by host, so the agent keeps waiting (its client port already answers)
 * and says every few seconds which peers it waits for, instead of failing after a timeout.
 */
final class QuorumWait {
  private static final Logger LOG = LoggerFactory.getLogger(QuorumWait.class);
  /** An election normally takes about a second; say nothing before this. */
  private static final Duration QUIET = Duration.ofSeconds(2);
  static final Duration EVERY = Duration.ofSeconds(5);

  private QuorumWait() {}

  static void await(Backend backend, String selfId) {
    long start = System.nanoTime();
    long nextReport = start + QUIET.toNanos();
    String last = "";
    while (true) {
      Optional<String> reason = reason(backend);
      if (reason.isEmpty()) {
        if (!last.isEmpty()) {
          LOG.info("{}: a leader is known after {} s; starting", selfId, (System.nanoTime() - start) / 1_000_000_000);
        }
        return;
      }
      long now = System.nanoTime();
      if (now >= nextReport) {
        last = reason.get();
        LOG.warn("{}: not ready, waiting for {} s: {}", selfId, (now - start) / 1_000_000_000, last);
        nextReport = now + EVERY.toNanos();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException(StoreException.Reason.CLOSED, selfId + ": interrupted while waiting for a quorum");
      }
    }
  }

  private static Optional<String> reason(Backend backend) {
    try {
      ClusterStatus s = backend.store().status().get(10, TimeUnit.SECONDS);
      return s.noLeaderReason();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(StoreException.Reason.CLOSED, "interrupted while waiting for a quorum");
    } catch (Exception e) {
      return Optional.of("cannot read the cluster's status: " + e.getMessage());
    }
  }
}
