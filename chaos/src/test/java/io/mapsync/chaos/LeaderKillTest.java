package io.mapsync.chaos;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The leader, found by asking the cluster, is SIGKILLed under write load and restarted from its
 * data dir (twice when the machine is quick enough to restart it within the run).
 */
class LeaderKillTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  @Test
  void killingTheLeaderUnderLoadLosesNoAcknowledgedWrite() throws Exception {
    Scenarios.runAndCheck("kill-leader");
  }
}
