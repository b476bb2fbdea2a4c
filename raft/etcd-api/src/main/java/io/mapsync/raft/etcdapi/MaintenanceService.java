package io.mapsync.raft.etcdapi;

import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.DefragmentResponse;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashKVResponse;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.HashResponse;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.MoveLeaderResponse;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.stub.StreamObserver;
import io.mapsync.store.ClusterStatus;
import io.mapsync.store.MemberStatus;
import io.mapsync.store.cluster.ServedCluster;
import io.mapsync.store.state.ReplicaState;
import java.util.Optional;

/**
 * etcd's Maintenance service: Status (what {@code etcdctl endpoint status} shows) and the alarm
 * list (mapsync raises no alarms). The calls that act on etcd's bbolt database or its snapshot file
 * have no mapsync counterpart and say so.
 */
final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
  /** The etcd API level the facade speaks; clients compare it to decide what they may call. */
  static final String API_VERSION = "3.4.0";

  private final ClusterCalls calls;
  private final ResponseHeaders headers;

  MaintenanceService(ClusterCalls calls, ResponseHeaders headers) {
    this.calls = calls;
    this.headers = headers;
  }

  /** Answers from this member even when the cluster has no leader, as etcd does; errors say why. */
  @Override
  public void status(StatusRequest req, StreamObserver<StatusResponse> out) {
    ServedCluster cluster = calls.cluster();
    Replies.answer(
        out,
        () ->
            cluster
                .status()
                .thenApply(
                    status -> {
                      headers.observeTerm(status.term());
                      return statusOf(Optional.of(status), null);
                    })
                .exceptionally(
                    error ->
                        statusOf(
                            Optional.empty(),
                            EtcdApiErrors.toStatus(error).getStatus().getDescription())));
  }

  private StatusResponse statusOf(Optional<ClusterStatus> status, String error) {
    ReplicaState local = calls.local();
    ServedCluster cluster = calls.cluster();
    long applied = local.revision();
    Optional<MemberStatus> self =
        status.flatMap(
            s -> s.members().stream().filter(m -> m.id().equals(cluster.self().id())).findFirst());
    long size = local.approximateBytes();
    StatusResponse.Builder out =
        StatusResponse.newBuilder()
            .setHeader(headers.at(applied))
            .setVersion(API_VERSION)
            .setDbSize(size)
            .setDbSizeInUse(size)
            .setLeader(
                status
                    .map(ClusterStatus::leader)
                    .filter(l -> !l.isEmpty())
                    .map(MemberIds::memberId)
                    .orElse(0L))
            .setRaftIndex(Math.max(applied, self.map(MemberStatus::commitIndex).orElse(0L)))
            .setRaftTerm(status.map(ClusterStatus::term).orElse(headers.term()))
            .setRaftAppliedIndex(Math.max(applied, self.map(MemberStatus::appliedIndex).orElse(0L)))
            .setIsLearner(cluster.self().listener());
    if (error != null) {
      out.addErrors(error);
    }
    // etcdctl endpoint status and mapsync status show these errors: say which peers a quorum waits
    // for.
    status.flatMap(ClusterStatus::noLeaderReason).ifPresent(out::addErrors);
    return out.build();
  }

  @Override
  public void alarm(AlarmRequest req, StreamObserver<AlarmResponse> out) {
    if (req.getAction() != AlarmRequest.AlarmAction.GET) {
      out.onError(
          EtcdApiErrors.unsupported(
              "activating or deactivating alarms",
              "mapsync has no space quota and raises no alarms; only listing them (always empty) is served"));
      return;
    }
    out.onNext(AlarmResponse.newBuilder().setHeader(headers.at(calls.local().revision())).build());
    out.onCompleted();
  }

  @Override
  public void defragment(DefragmentRequest req, StreamObserver<DefragmentResponse> out) {
    out.onError(
        EtcdApiErrors.unsupported(
            "Defragment",
            "mapsync keeps its state in memory and in Raft snapshots, not in a bbolt file"));
  }

  @Override
  public void hash(HashRequest req, StreamObserver<HashResponse> out) {
    out.onError(
        EtcdApiErrors.unsupported(
            "Hash", "it hashes etcd's bbolt file, which mapsync does not have"));
  }

  @Override
  public void hashKV(HashKVRequest req, StreamObserver<HashKVResponse> out) {
    out.onError(
        EtcdApiErrors.unsupported(
            "HashKV",
            "replica consistency is checked by mapsync's own tools, not etcd's MVCC hash"));
  }

  @Override
  public void snapshot(SnapshotRequest req, StreamObserver<SnapshotResponse> out) {
    out.onError(
        EtcdApiErrors.unsupported(
            "Snapshot download",
            "mapsync snapshots are Raft snapshots in mapsync's own format, not etcd's bbolt database"));
  }

  @Override
  public void moveLeader(MoveLeaderRequest req, StreamObserver<MoveLeaderResponse> out) {
    out.onError(
        EtcdApiErrors.unsupported(
            "MoveLeader", "leadership transfer is not offered through the etcd API"));
  }
}
