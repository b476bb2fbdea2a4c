package io.mapsync.raft.etcdapi;

import io.mapsync.store.cluster.ServedCluster;
import java.util.List;

/**
 * A running cluster with the etcd API served on every member, as the client suites see it. The
 * in-memory implementation runs everywhere; a backend adds its own (e.g. three Ratis members) and
 * runs the same suites against it.
 */
interface FacadeCluster extends AutoCloseable {
  /** Every member's etcd endpoint (http://host:port), the leader's first. */
  List<String> endpoints();

  default String leaderEndpoint() {
    return endpoints().get(0);
  }

  /** The leader's handle, for setting up state the etcd API cannot (e.g. map deltas). */
  ServedCluster leader();

  /** Every member, in the order of {@link #endpoints()}. */
  List<? extends ServedCluster> servedMembers();

  /** The member serving this endpoint. */
  default ServedCluster memberAt(String endpoint) {
    return servedMembers().get(endpoints().indexOf(endpoint));
  }

  /** Every member's etcd API server, in the order of {@link #endpoints()}. */
  List<EtcdApiServer> servers();

  @Override
  void close();
}
