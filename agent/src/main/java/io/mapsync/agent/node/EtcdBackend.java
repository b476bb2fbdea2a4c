package io.mapsync.agent.node;

import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.ConfigException;
import io.mapsync.raft.etcd.EtcdConfig;
import io.mapsync.raft.etcd.EtcdStore;
import io.mapsync.store.StateStore;
import io.mapsync.store.cluster.ServedCluster;
import io.mapsync.tls.TlsIdentity;
import java.util.Optional;

/** An external etcd cluster as the log: the agent is its client, not a member. */
final class EtcdBackend implements Backend {
  private final EtcdStore store;

  private EtcdBackend(EtcdStore store) {
    this.store = store;
  }

  static Backend start(AgentConfig config, TlsIdentity tls) {
    EtcdConfig etcd;
    try {
      etcd =
          EtcdConfig.of(config.store().etcdEndpoints().toArray(String[]::new))
              .withPrefix(config.store().etcdPrefix());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("store: " + e.getMessage(), e);
    }
    try {
      return new EtcdBackend(EtcdStore.open(etcd, tls));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("store: " + e.getMessage(), e);
    }
  }

  @Override
  public StateStore store() {
    return store;
  }

  /** etcd bounds the operations of one Txn (--max-txn-ops); a batch is one Txn. */
  @Override
  public int maxBatchDeltas() {
    return store.maxKeysPerBatch();
  }

  @Override
  public Optional<ServedCluster> cluster() {
    return Optional.empty();
  }

  @Override
  public void close() {
    store.close();
  }
}
