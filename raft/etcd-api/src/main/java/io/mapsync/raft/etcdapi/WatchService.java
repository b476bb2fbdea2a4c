package io.mapsync.raft.etcdapi;

import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import io.mapsync.store.state.ReplicaState;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * etcd's Watch service: one {@link WatchSession} per stream, each with any number of watches, all
 * fed from this member's replica. Also drives the periodic progress notifications.
 */
final class WatchService extends WatchGrpc.WatchImplBase implements AutoCloseable {
  private final ReplicaState local;
  private final ResponseHeaders headers;
  private final Set<WatchSession> sessions = ConcurrentHashMap.newKeySet();
  private final LongAdder pauses = new LongAdder();

  WatchService(ReplicaState local, ResponseHeaders headers) {
    this.local = local;
    this.headers = headers;
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
    WatchSession session =
        new WatchSession(out, local, headers, pauses::increment, sessions::remove);
    sessions.add(session);
    return session;
  }

  /** Only jetcd's copy of etcd's proto declares this call; etcd itself has none. */
  @Override
  public void progress(WatchProgressRequest request, StreamObserver<WatchResponse> out) {
    out.onError(
        EtcdApiErrors.unsupported(
            "the unary Watch.Progress call",
            "etcd has no such call; send a progress_request on the Watch stream instead"));
  }

  /** One tick of progress_notify for every stream. */
  void notifyProgress() {
    sessions.forEach(WatchSession::periodicProgress);
  }

  int streams() {
    return sessions.size();
  }

  long pauses() {
    return pauses.sum();
  }

  @Override
  public void close() {
    sessions.forEach(WatchSession::shutdown);
  }
}
