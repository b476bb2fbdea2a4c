package io.mapsync.agent.node;

import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.cluster.ServedCluster;
import java.util.Optional;
import java.util.function.Consumer;

/** The log this agent uses: an embedded Ratis member, or a client of an external etcd cluster. */
interface Backend extends AutoCloseable {
  StateStore store();

  /** The further Raft groups' members on this host, by group name (none: default group only). */
  default java.util.Map<String, ServedCluster> groupClusters() {
    return java.util.Map.of();
  }

  /** The most deltas one batch may carry on this backend. */
  default int maxBatchDeltas() {
    return Integer.MAX_VALUE;
  }

  /** The embedded member, when there is one (it serves the etcd v3 API and membership). */
  Optional<ServedCluster> cluster();

  /**
   * Calls the listener once if the backend fails for good while the agent runs (the embedded Raft
   * member died): the agent must then stop, and be restarted.
   */
  default void onFailure(Consumer<StoreException> listener) {}

  @Override
  void close();
}
