package io.mapsync.chaos;

import io.mapsync.chaos.fault.KillMember;
import io.mapsync.chaos.fault.Targets;
import io.mapsync.chaos.run.Plan;
import java.time.Duration;
import java.util.List;
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
    Scenarios.runAndCheck(Plan.of("kill-leader", 101, Duration.ofSeconds(30),
        List.of(new KillMember(Targets.Role.LEADER))).withTiming(Duration.ofSeconds(3), Duration.ofSeconds(3),
        Duration.ofSeconds(3)), 1);
  }
}
