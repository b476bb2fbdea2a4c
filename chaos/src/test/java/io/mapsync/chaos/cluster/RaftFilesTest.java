package io.mapsync.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftFilesTest {
  @TempDir Path dir;

  private void touch(String relative) throws Exception {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.createFile(p);
  }

  @Test
  void aLogStartingAfterASnapshotMeansTheSnapshotWasInstalled() throws Exception {
    touch("ratis/g/current/log_inprogress_613");
    touch("ratis/g/sm/snapshot.3_612");
    RaftFiles f = RaftFiles.of(dir);
    assertEquals(613, f.firstLogIndex());
    assertEquals(List.of(612L), f.snapshotIndexes());
    assertTrue(f.installedSnapshot());
  }

  @Test
  void aLogFromTheStartMeansReplay() throws Exception {
    touch("ratis/g/current/log_0-99");
    touch("ratis/g/current/log_inprogress_100");
    touch("ratis/g/sm/snapshot.1_50");
    assertFalse(RaftFiles.of(dir).installedSnapshot());
  }

  @Test
  void anEmptyDirHasNothing() throws Exception {
    assertEquals(new RaftFiles(-1, List.of()), RaftFiles.of(dir));
  }
}
