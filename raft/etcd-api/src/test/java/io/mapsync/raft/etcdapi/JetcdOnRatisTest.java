package io.mapsync.raft.etcdapi;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link JetcdSuite} against three Ratis members, through the leader. */
class JetcdOnRatisTest extends JetcdSuite {
  /** Static: the suite opens its cluster in @BeforeAll, before instance fields are injected. */
  @TempDir static Path dir;

  @Override
  protected FacadeCluster openCluster() throws Exception {
    return new RatisFacadeCluster(dir, 3);
  }
}
