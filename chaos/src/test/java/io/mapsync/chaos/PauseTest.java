package io.mapsync.chaos;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGSTOP of the leader, then of a follower: the paused leader wakes up deposed, with a ring buffer
 * full of its network function's writes; the paused follower's clients time out.
 */
class PauseTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  @Test
  void pausedMembersRecoverWithoutLosingOrDuplicatingAnything() throws Exception {
    Scenarios.runAndCheck("pause");
  }
}
