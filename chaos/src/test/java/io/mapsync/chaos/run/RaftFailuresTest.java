package io.mapsync.chaos.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftFailuresTest {
  @TempDir Path dir;

  @Test
  void readsTheLatestIncarnationOnly() throws Exception {
    Path log = dir.resolve("n1.log");
    Files.write(
        log,
        List.of(
            "2026-01-01T00:00:00Z [chaos] n1: starting: nsenter ...",
            "12:00:01.000 WARN  [mapsync-ratis-watch] i.m.agent.sync.SyncLoop - lost the log watch (compacted); resyncing",
            "12:00:01.100 INFO  [mapsync-sync-control] i.m.agent.sync.SyncLoop - map 'chaos' installed at revision 40: 3",
            "12:00:02.000 ERROR [n1-SegmentedRaftLogWorker] o.a.r.s.r.s.SegmentedRaftLogWorker - n1 SegmentedRaftLogWorker"
                + " hit exception",
            "2026-01-01T00:01:00Z [chaos] n1: starting: nsenter ...",
            "12:01:01.000 INFO  [main] i.m.agent.sync.SyncLoop - map 'chaos' installed at revision 90: 3 entries",
            "12:01:02.000 WARN  [mapsync-ratis-watch] i.m.agent.sync.SyncLoop - lost the log watch (compacted); resyncing",
            "12:01:02.100 INFO  [mapsync-sync-control] i.m.agent.sync.SyncLoop - map 'chaos' installed at revision 120: 3"));
    assertEquals(List.of(120L), RaftFailures.resyncs(log), "the bootstrap at start is no resync");
    assertTrue(RaftFailures.in(log).isEmpty(), "the failure was in the previous incarnation");
  }
}
