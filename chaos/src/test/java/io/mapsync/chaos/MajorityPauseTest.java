package io.mapsync.chaos;

import io.mapsync.chaos.cluster.ClusterSettings;
import io.mapsync.chaos.fault.PauseFollowers;
import io.mapsync.chaos.run.Plan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both followers are paused longer than the members' request timeout (lowered to 5 s here, 30 s
 * by default), so the leader steps down and every proposal in flight gives up; then they resume.
 * Everything must come back: every agent proposes again and all maps converge (chaos bug 5: a
 * store client that gave up once stayed closed).
 */
class MajorityPauseTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  @Test
  void everythingComesBackAfterTheMajorityReturns() throws Exception {
    Map<String, String> raft = new LinkedHashMap<>(ClusterSettings.snapshotOften(300));
    raft.put("mapsync.request.timeout", "5s");
    Scenarios.runAndCheck(Plan.of("majority-pause", 505, Duration.ofSeconds(20), List.of(new PauseFollowers()))
        .withCluster(ClusterSettings.defaults().withRaftProperties(raft))
        .withTiming(Duration.ofSeconds(3), Duration.ofSeconds(9), Duration.ofSeconds(5)), 1);
  }
}
