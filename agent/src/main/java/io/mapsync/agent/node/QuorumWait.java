package io.mapsync.agent.node;

import io.mapsync.store.ClusterStatus;
import io.mapsync.store.StoreException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Holds start-up until the embedded store has a leader. Peers that are not running yet are normal
 * when a cluster starts host by host, so the agent keeps waiting (its client port already answers)
 * and says every few seconds which peers it waits for, instead of failing after a timeout.
 */
final class QuorumWait {
  private QuorumWait() {}

  static void await(Backend backend, String selfId) {
    NoLeaderReport report = new NoLeaderReport(selfId, "not ready");
    while (true) {
      Optional<String> reason = reason(backend);
      report.observe(reason);
      if (reason.isEmpty()) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException(
            StoreException.Reason.CLOSED, selfId + ": interrupted while waiting for a quorum");
      }
    }
  }

  /** Why the store has no leader now, or empty if it has one. */
  static Optional<String> reason(Backend backend) {
    try {
      ClusterStatus s = backend.store().status().get(10, TimeUnit.SECONDS);
      return s.noLeaderReason();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          StoreException.Reason.CLOSED, "interrupted while waiting for a quorum");
    } catch (Exception e) {
      return Optional.of("cannot read the cluster's status: " + e.getMessage());
    }
  }
}
