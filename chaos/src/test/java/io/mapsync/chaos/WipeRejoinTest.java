package io.mapsync.chaos;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.cluster.RaftFiles;
import io.mapsync.chaos.fault.WipeMember;
import io.mapsync.chaos.run.Plan;
import io.mapsync.chaos.scenario.ScenarioCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A follower loses its disk: killed, removed, data dir wiped, added back, started in join mode. The
 * leader has purged its log past a snapshot (every 100 entries, 16 KB segments), so it can only
 * come back through a snapshot install; its stale map must be replaced by the store's content.
 */
class WipeRejoinTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  @Test
  void aWipedMemberRejoinsThroughASnapshot() throws Exception {
    Plan plan = ScenarioCatalog.named("wipe-rejoin").plan();
    WipeMember wipe = (WipeMember) plan.faults().get(0);
    Scenarios.runAndCheck("wipe-rejoin", plan);
    // The schedule fits as many wipes as the machine's speed allows; what must hold is that every
    // rejoin (at least one) got its state through a snapshot, the leader's log being purged.
    assertFalse(wipe.rejoins().isEmpty(), "no member rejoined");
    for (RaftFiles files : wipe.rejoins()) {
      assertTrue(
          files.installedSnapshot(),
          "a wiped member got its state by log replay, not a snapshot: " + files);
    }
  }
}
