package io.mapsync.agent.node;

import io.mapsync.agent.metrics.AgentMetrics;
import io.mapsync.agent.sync.SyncLoop;
import io.mapsync.store.ClusterStatus;
import io.mapsync.store.MemberStatus;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Reads the store's status once a second into the metrics (leader, term, indexes, lag). */
final class StatusPoller implements AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mapsync-status");
    t.setDaemon(true);
    return t;
  });

  StatusPoller(Backend backend, SyncLoop loop, AgentMetrics metrics, String selfId) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        ClusterStatus s = backend.store().status().get(5, TimeUnit.SECONDS);
        MemberStatus self = s.members().stream().filter(m -> m.id().equals(selfId)).findFirst()
            .orElse(s.members().isEmpty() ? null : s.members().get(0));
        if (self != null) {
          metrics.storeView(selfId.equals(s.leader()), s.term(), self.commitIndex(), self.appliedIndex(),
              self.snapshotIndex(), loop.appliedRevision());
        }
      } catch (Exception e) {
        // A status read can fail while there is no leader; the next one will tell.
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
