package io.mapsync.chaos;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wipe-and-rejoin scenario with the membership changes sent to the leader's etcd API. The
 * remove runs a read barrier and then a configuration change; when that ran on the Ratis thread
 * that answered the barrier it deadlocked the leader's Raft member (chaos bug 6).
 */
class MembershipChangeOnLeaderTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  @Test
  void removingAndAddingAMemberThroughTheLeaderWorks() throws Exception {
    Scenarios.runAndCheck("membership-via-leader");
  }
}
