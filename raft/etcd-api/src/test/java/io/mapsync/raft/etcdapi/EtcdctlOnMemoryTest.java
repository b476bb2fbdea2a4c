package io.mapsync.raft.etcdapi;

/** {@link EtcdctlSuite} against a single in-memory member. */
class EtcdctlOnMemoryTest extends EtcdctlSuite {
  @Override
  protected FacadeCluster openCluster() {
    return new InMemoryFacadeCluster(1, InMemoryFacadeCluster.fastOptions());
  }
}
