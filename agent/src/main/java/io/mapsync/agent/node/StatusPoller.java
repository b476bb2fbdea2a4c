package io.mapsync.agent.node;

import io.mapsync.agent.metrics.AgentMetrics;
import io.mapsync.agent.sync.SyncLoop;
import io.mapsync.store.ClusterStatus;
import io.mapsync.store.MemberStatus;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the store's status once a second into the metrics (leader, term, indexes, lag), and says in
 * the log when the cluster has lost its leader and which peers do not answer.
 */
final class StatusPoller implements AutoCloseable {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "mapsync-status");
            t.setDaemon(true);
            return t;
          });

  StatusPoller(Backend backend, SyncLoop loop, AgentMetrics metrics, String selfId) {
    NoLeaderReport noLeader =
        new NoLeaderReport(selfId, "ready, but local changes wait to be committed");
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            ClusterStatus s = backend.store().status().get(5, TimeUnit.SECONDS);
            noLeader.observe(s.noLeaderReason());
            MemberStatus self =
                s.members().stream()
                    .filter(m -> m.id().equals(selfId))
                    .findFirst()
                    .orElse(s.members().isEmpty() ? null : s.members().get(0));
            if (self != null) {
              metrics.storeView(
                  selfId.equals(s.leader()),
                  s.term(),
                  self.commitIndex(),
                  self.appliedIndex(),
                  self.snapshotIndex(),
                  loop.appliedRevision());
            }
          } catch (Exception e) {
            noLeader.observe(
                java.util.Optional.of("cannot read the cluster's status: " + e.getMessage()));
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
