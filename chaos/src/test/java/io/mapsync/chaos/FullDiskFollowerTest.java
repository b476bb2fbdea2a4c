package io.mapsync.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.run.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A follower's data dir (its own 16 MB tmpfs) fills up under load: the agent stops by itself with
 * exit code 3 and its STORAGE line (the fault fails the run otherwise), the other two go on; after
 * the space is freed it restarts from its own data and every check holds.
 */
class FullDiskFollowerTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
    LabRequirements.tool("mount");
  }

  @Test
  void aFollowerOnAFullDiskStopsCleanlyAndCatchesUpOnceFreed() throws Exception {
    Report r = Scenarios.runAndCheck("disk-full");
    assertTrue(
        r.toString().contains("stopped by itself: mapsync: store: STORAGE: data dir "),
        () -> "the report does not show the follower stopping on its full disk:\n" + r);
  }
}
