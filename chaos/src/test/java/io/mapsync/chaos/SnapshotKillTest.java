package io.mapsync.chaos;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL of a follower while it installs a snapshot, then of the leader while it sends one (the
 * fault waits for the transfer's line in the Ratis log, and fails the run if none comes).
 */
class SnapshotKillTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  @Test
  void killsDuringSnapshotTransfersLoseNothing() throws Exception {
    Scenarios.runAndCheck("kill-during-snapshot");
  }
}
