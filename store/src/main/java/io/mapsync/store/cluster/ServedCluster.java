package io.mapsync.store.cluster;

import io.mapsync.store.ClusterStatus;
import io.mapsync.store.StateStore;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.wire.ApplyResult;
import io.mapsync.wire.LogEntry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What an embedded cluster member offers beyond the {@link StateStore} SPI: its local replica, raw
 * log appends, membership and leadership. The etcd v3 API facade serves from this.
 */
public interface ServedCluster {
  /** The replicated store, reached through this member (requests go to the leader). */
  StateStore store();

  /** This member's own replica (for serializable reads and local watches). */
  ReplicaState localState();

  /** Appends any log entry (leases, compaction) and completes once it is applied. */
  CompletableFuture<ApplyResult> append(LogEntry entry);

  /** This member. */
  ClusterMember self();

  /** The current configuration: voters and listeners. */
  CompletableFuture<List<ClusterMember>> members();

  /** Adds a voter or a listener; completes with the new configuration. */
  CompletableFuture<List<ClusterMember>> addMember(ClusterMember member);

  /** Removes a member by id; completes with the new configuration. */
  CompletableFuture<List<ClusterMember>> removeMember(String id);

  /** Leader, term and progress of every member. */
  CompletableFuture<ClusterStatus> status();

  /** True while this member is the leader. */
  boolean isLeader();

  /** Called with true when this member becomes leader and false when it stops being leader. */
  void onLeadershipChange(Consumer<Boolean> listener);
}
