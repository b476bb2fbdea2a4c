package io.mapsync.chaos;

import io.mapsync.chaos.fault.Fault;
import io.mapsync.chaos.fault.IsolateMember;
import io.mapsync.chaos.fault.KillMember;
import io.mapsync.chaos.fault.PartitionMember;
import io.mapsync.chaos.fault.PauseMember;
import io.mapsync.chaos.fault.SlowMember;
import io.mapsync.chaos.fault.Targets.Role;
import io.mapsync.chaos.run.Plan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults of every kind, one at a time, in an order and with holds drawn from a fixed seed (so a
 * failure can be replayed with the same seed; the soak command runs the same with other seeds).
 */
class RandomFaultsTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  static List<Fault> everyFault() {
    return List.of(new KillMember(Role.LEADER), new KillMember(Role.FOLLOWER), new PauseMember(Role.LEADER),
        new PauseMember(Role.FOLLOWER), new PartitionMember(Role.LEADER), new PartitionMember(Role.FOLLOWER),
        new IsolateMember(Role.FOLLOWER), new SlowMember(Role.LEADER));
  }

  @Test
  void randomFaultsWithAFixedSeed() throws Exception {
    Scenarios.runAndCheck(Plan.of("random", 7, Duration.ofSeconds(40), everyFault()).shuffled()
        .withTiming(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(3)), 2);
  }
}
