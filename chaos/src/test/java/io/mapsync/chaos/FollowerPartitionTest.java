package io.mapsync.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.run.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A follower is cut from its peers (nftables drops, both ways) long enough for the leader to
 * snapshot and purge its log past it, then healed: its replica is replaced by a snapshot while its
 * agent runs (the agent's watch is told "compacted" and resyncs its map), and the writes its
 * network function made during the cut must reach everyone. More clients, snapshots every 100
 * entries and 16 KB log segments make the log outgrow the follower within the cut, however slow the
 * machine is.
 */
class FollowerPartitionTest {
  @BeforeAll
  static void lab() {
    LabRequirements.check();
  }

  @Test
  void aPartitionedFollowerCatchesUpThroughASnapshotAfterTheHeal() throws Exception {
    Report r = Scenarios.runAndCheck("partition-follower");
    assertTrue(
        r.watchResyncs().values().stream().anyMatch(n -> n > 0),
        "no member's replica was replaced by a snapshot: the cut did not outlast the leader's log\n"
            + r);
  }
}
