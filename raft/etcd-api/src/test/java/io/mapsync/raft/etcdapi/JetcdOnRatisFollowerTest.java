package io.mapsync.raft.etcdapi;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link JetcdSuite} against three Ratis members, through a follower. */
class JetcdOnRatisFollowerTest extends JetcdSuite {
  /** Static: the suite opens its cluster in @BeforeAll, before instance fields are injected. */
  @TempDir static Path dir;

  @Override
  protected FacadeCluster openCluster() throws Exception {
    return new RatisFacadeCluster(dir, 3);
  }

  @Override
  protected String clientEndpoint() {
    return cluster.endpoints().get(1);
  }
}
