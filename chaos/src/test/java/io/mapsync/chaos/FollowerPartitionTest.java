package io.mapsync.chaos;

import io.mapsync.chaos.fault.PartitionMember;
import io.mapsync.chaos.fault.Targets;
import io.mapsync.chaos.run.Plan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A follower is cut from its peers (nftables drops, both ways) long enough for the leader to
 * snapshot and purge past it, then healed: it must catch up by a snapshot install while its agent
 * keeps applying, and its own network function's writes made during the cut must reach everyone.
 */
class FollowerPartitionTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  @Test
  void aPartitionedFollowerCatchesUpAfterTheHeal() throws Exception {
    Scenarios.runAndCheck(Plan.of("partition-follower", 202, Duration.ofSeconds(25),
        List.of(new PartitionMember(Targets.Role.FOLLOWER))).withTiming(Duration.ofSeconds(3), Duration.ofSeconds(10),
        Duration.ofSeconds(4)), 1);
  }
}
