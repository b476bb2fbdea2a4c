package io.mapsync.chaos.run;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;

/**
 * What systemd does for each member: an agent that stopped itself because its Raft member died
 * (exit code 3, see docs/chaos.md bug 4) is started again, and resumes from its data dir. Runs
 * between faults, so it never races a fault that stops or starts the same member.
 */
final class Supervisor {
  private final ChaosCluster cluster;
  private final History history;

  Supervisor(ChaosCluster cluster, History history) {
    this.cluster = cluster;
    this.history = history;
  }

  /**
   * Starts again each member that stopped itself that way; a start that fails is noted and retried
   * next time.
   */
  void restartStopped() {
    for (String id : cluster.ids()) {
      if (!cluster.member(id).awaitsSupervisorRestart()) {
        continue;
      }
      try {
        cluster.restart(id);
        history.event(
            "supervisor: restarted " + id + " (it had stopped itself: its Raft member failed)");
      } catch (IOException | RuntimeException e) {
        history.event("supervisor: could not restart " + id + ": " + e.getMessage());
      }
    }
  }
}
