package io.mapsync.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.fault.WipeMember;
import io.mapsync.chaos.run.Plan;
import io.mapsync.chaos.run.Report;
import io.mapsync.chaos.scenario.ScenarioCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two host failures in one lab (one cluster start for both, to keep CI short): a follower's data
 * dir (its own 16 MB tmpfs) fills under load, and the agent must stop by itself with exit code 3
 * and its STORAGE line (the fault fails the run otherwise), then restart once the space is freed;
 * then a follower is replaced by a member with an id never used before (n4), added at the same
 * address with an empty data dir. Every check judges the whole run.
 */
@Tag("long") // minutes of agent JVMs: outside the default run, see docs/operations.md
class DiskAndReplacementTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
    LabRequirements.tool("mount");
  }

  @Test
  void aFullDiskStopsTheMemberCleanlyAndANewMemberReplacesAnOldOne() throws Exception {
    Plan plan = ScenarioCatalog.named("disk-full-replace").plan();
    WipeMember replace = (WipeMember) plan.faults().get(1);
    Report r = Scenarios.runAndCheck("disk-full-replace", plan);
    String text = r.toString();
    assertTrue(
        text.contains("stopped by itself: mapsync: store: STORAGE: data dir "),
        () -> "the report does not show the follower stopping on its full disk:\n" + r);
    assertTrue(!replace.rejoins().isEmpty(), () -> "no new member joined:\n" + r);
    assertTrue(
        text.contains("(as the new member n4) added back and ready"),
        () -> "the report does not show n4 joining in the replaced member's place:\n" + r);
  }
}
