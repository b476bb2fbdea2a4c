package io.mapsync.raft.etcdapi;

import io.grpc.Status;
import io.mapsync.wire.LeaseRevoke;
import io.mapsync.wire.LogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's duty of ending leases whose time ran out: it proposes a LeaseRevoke, and every
 * replica deletes the lease's keys when it applies that entry. Followers do nothing here.
 */
final class LeaseExpiry {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseExpiry.class);

  private final ClusterCalls calls;
  private final LeaseDeadlines deadlines;

  LeaseExpiry(ClusterCalls calls, LeaseDeadlines deadlines) {
    this.calls = calls;
    this.deadlines = deadlines;
  }

  /** Either way the deadlines start over: a new leader gives every lease its full TTL. */
  void onLeadershipChange(boolean leader) {
    deadlines.reset();
    LOG.debug("leadership {}: lease deadlines start over", leader ? "gained" : "lost");
  }

  /** One look at the leases; called periodically. */
  void check() {
    if (!calls.cluster().isLeader()) {
      return;
    }
    for (long id : deadlines.takeExpired(calls.local().leases())) {
      LOG.debug("lease {} expired; revoking it", id);
      calls
          .append(LogEntry.newBuilder().setLeaseRevoke(LeaseRevoke.newBuilder().setId(id)).build())
          .whenComplete(
              (result, error) -> {
                if (error != null
                    && EtcdApiErrors.toStatus(error).getStatus().getCode()
                        != Status.Code.NOT_FOUND) {
                  LOG.warn(
                      "revoking expired lease {} failed; will retry: {}", id, error.toString());
                  deadlines.revokeFailed(id);
                }
              });
    }
  }
}
