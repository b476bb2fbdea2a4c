package io.mapsync.chaos;

import io.mapsync.chaos.cluster.ClusterSettings;
import io.mapsync.chaos.fault.Targets;
import io.mapsync.chaos.fault.WipeMember;
import io.mapsync.chaos.run.Plan;
import java.time.Duration;
import java.util.List;
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
    Scenarios.runAndCheck(Plan.of("membership-via-leader", 606, Duration.ofSeconds(20),
        List.of(new WipeMember(Targets.Role.FOLLOWER, true)))
        .withCluster(ClusterSettings.defaults().withRaftProperties(ClusterSettings.snapshotOften(100, "16KB")))
        .withTiming(Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofSeconds(3)), 1);
  }
}
