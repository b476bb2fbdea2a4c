package io.mapsync.raft.ratis;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that run a {@link LocalCluster}: its directory, and closing it after each test.
 */
abstract class LocalClusterTest {
  @TempDir Path dir;
  LocalCluster cluster;

  @AfterEach
  void closeCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }
}
