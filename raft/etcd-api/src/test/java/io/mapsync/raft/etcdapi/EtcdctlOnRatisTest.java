package io.mapsync.raft.etcdapi;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link EtcdctlSuite} against three Ratis members, through the leader. */
class EtcdctlOnRatisTest extends EtcdctlSuite {
  /** Static: the suite opens its cluster in @BeforeAll, before instance fields are injected. */
  @TempDir static Path dir;

  @Override
  protected FacadeCluster openCluster() throws Exception {
    return new RatisFacadeCluster(dir, 3);
  }
}
