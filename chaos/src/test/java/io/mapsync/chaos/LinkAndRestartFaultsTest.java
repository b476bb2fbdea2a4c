package io.mapsync.chaos;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The failpoints of issue 11 that need nothing but the lab, each a short catalog scenario judged by
 * every check (the longer variants, such as one-way-all, run from `mapsync chaos`).
 */
class LinkAndRestartFaultsTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  /** nftables drops on one hook only: the leader unheard, then a follower that hears nothing. */
  @Test
  void oneWayCuts() throws Exception {
    Scenarios.runAndCheck("one-way");
  }

  /**
   * nftables random drops (5-30 %) on the leader's and a follower's links; a follower delayed by
   * tbf.
   */
  @Test
  void lossyAndSlowLinks() throws Exception {
    Scenarios.runAndCheck("lossy-slow");
  }

  /** Every member stopped cleanly and restarted in turn under load, the leader last. */
  @Test
  void rollingRestart() throws Exception {
    Scenarios.runAndCheck("rolling-restart");
  }
}
