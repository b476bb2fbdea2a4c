package io.mapsync.raft.etcdapi;

/** {@link JetcdSuite} against a single in-memory member. */
class JetcdOnMemoryTest extends JetcdSuite {
  @Override
  protected FacadeCluster openCluster() {
    return new InMemoryFacadeCluster(1, InMemoryFacadeCluster.fastOptions());
  }
}
