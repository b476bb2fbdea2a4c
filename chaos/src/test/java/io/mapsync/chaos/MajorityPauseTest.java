package io.mapsync.chaos;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both followers are paused longer than the members' request timeout (lowered to 5 s here, 30 s by
 * default), so the leader steps down and every proposal in flight gives up; then they resume.
 * Everything must come back: every agent proposes again and all maps converge (chaos bug 5: a store
 * client that gave up once stayed closed).
 */
class MajorityPauseTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  @Test
  void everythingComesBackAfterTheMajorityReturns() throws Exception {
    Scenarios.runAndCheck("majority-pause");
  }
}
