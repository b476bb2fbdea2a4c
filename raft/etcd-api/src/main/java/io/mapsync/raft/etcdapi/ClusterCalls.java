package io.mapsync.raft.etcdapi;

import io.mapsync.store.StoreException;
import io.mapsync.store.cluster.ClusterMember;
import io.mapsync.store.cluster.ServedCluster;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.wire.ApplyResult;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.LogEntry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster calls the facade's services share: log appends whose refusals surface as failures,
 * and finding members by etcd id or the leader's client port.
 */
final class ClusterCalls {
  private final ServedCluster cluster;

  ClusterCalls(ServedCluster cluster) {
    this.cluster = cluster;
  }

  ServedCluster cluster() {
    return cluster;
  }

  ReplicaState local() {
    return cluster.localState();
  }

  /**
   * Appends an entry and fails with a REJECTED {@link StoreException} if the state refused it,
   * whether the backend reports that as a failed future or as an error inside the result.
   */
  CompletableFuture<ApplyResult> append(LogEntry entry) {
    return cluster
        .append(entry)
        .thenApply(
            result -> {
              if (!result.getError().isEmpty()) {
                throw new StoreException(StoreException.Reason.REJECTED, result.getError());
              }
              return result;
            });
  }

  /** Every key-space write goes through the log as a transaction, which yields its revision. */
  CompletableFuture<ApplyResult> txn(KvTxn txn) {
    return append(LogEntry.newBuilder().setTxn(txn).build());
  }

  /** The member whose etcd id this is, if it is in the configuration. */
  CompletableFuture<Optional<ClusterMember>> memberById(long etcdId) {
    return cluster.members().thenApply(members -> byId(members, etcdId));
  }

  static Optional<ClusterMember> byId(List<ClusterMember> members, long etcdId) {
    return members.stream().filter(m -> MemberIds.memberId(m.id()) == etcdId).findFirst();
  }

  /**
   * The client address (host:port) of the leader's etcd API, for calls only the leader can answer.
   * Fails with NO_LEADER when no leader is known or its client port is not.
   */
  CompletableFuture<String> leaderClientAddress() {
    return cluster
        .status()
        .thenCompose(
            status -> {
              if (status.leader().isEmpty()) {
                throw new StoreException(StoreException.Reason.NO_LEADER, "no leader is known");
              }
              return cluster
                  .members()
                  .thenApply(
                      members ->
                          members.stream()
                              .filter(
                                  m ->
                                      m.id().equals(status.leader())
                                          && !m.clientAddress().isEmpty())
                              .map(ClusterMember::clientAddress)
                              .findFirst()
                              .orElseThrow(
                                  () ->
                                      new StoreException(
                                          StoreException.Reason.NO_LEADER,
                                          "the client address of leader "
                                              + status.leader()
                                              + " is not known")));
            });
  }
}
