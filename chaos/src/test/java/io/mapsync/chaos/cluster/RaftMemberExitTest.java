package io.mapsync.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftMemberExitTest {
  private static final String ERROR =
      "mapsync: store: CLOSED: n2: the Raft member failed (state CLOSING, data dir"
          + " /lab/data/n2); this member stops serving; restarting it resumes from the data on disk";

  @TempDir Path dir;

  @Test
  void onlyTheStoreExitCodeWithTheErrorLineOfTheLatestIncarnationCounts() throws Exception {
    Path log = dir.resolve("n2.log");
    Files.write(
        log,
        List.of(
            "t [chaos] n2: starting: java ...",
            "ERROR n2@group SegmentedRaftLogWorker hit exception",
            ERROR));
    assertEquals(ERROR, RaftMemberExit.of(3, log));
    assertEquals("", RaftMemberExit.of(1, log), "another exit code");
    Files.write(log, List.of(ERROR, "t [chaos] n2: starting: java ..."));
    assertEquals("", RaftMemberExit.of(3, log), "an earlier incarnation's line");
  }

  @Test
  void aFullDataDirIsTheAgentStoppingItselfToo() throws Exception {
    String full =
        "mapsync: store: STORAGE: data dir /lab/data/n3: no space left on device while writing the"
            + " Raft log (entry 43); this member stopped so that nothing half-written is used.";
    Path log = dir.resolve("n3.log");
    Files.write(log, List.of("t [chaos] n3: starting: java ...", full));
    assertEquals(full, RaftMemberExit.of(3, log));
  }
}
