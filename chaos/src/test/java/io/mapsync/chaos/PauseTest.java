package io.mapsync.chaos;

import io.mapsync.chaos.fault.PauseMember;
import io.mapsync.chaos.fault.Targets;
import io.mapsync.chaos.run.Plan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGSTOP of the leader, then of a follower: the paused leader wakes up deposed, with a ring
 * buffer full of its network function's writes; the paused follower's clients time out.
 */
class PauseTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  @Test
  void pausedMembersRecoverWithoutLosingOrDuplicatingAnything() throws Exception {
    Scenarios.runAndCheck(Plan.of("pause", 303, Duration.ofSeconds(25),
        List.of(new PauseMember(Targets.Role.LEADER), new PauseMember(Targets.Role.FOLLOWER)))
        .withTiming(Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofSeconds(4)), 2);
  }
}
