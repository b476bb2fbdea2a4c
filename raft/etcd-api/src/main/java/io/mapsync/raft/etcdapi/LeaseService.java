package io.mapsync.raft.etcdapi;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.wire.LeaseGrant;
import io.mapsync.wire.LeaseRevoke;
import io.mapsync.wire.LogEntry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's Lease service. Grants and revokes are log entries (leases are replicated state, and a
 * revoke deletes the lease's keys on every replica); keep-alives and time-to-live need the
 * deadlines, which only the leader holds, so a follower forwards them to the leader.
 */
final class LeaseService extends LeaseGrpc.LeaseImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseService.class);

  /** etcd's MaxLeaseTTL. */
  static final long MAX_TTL_SECONDS = 9_000_000_000L;

  private final ClusterCalls calls;
  private final ResponseHeaders headers;
  private final LeaseDeadlines deadlines;
  private final LeaderLink leader;
  private final long minTtlSeconds;

  LeaseService(
      ClusterCalls calls,
      ResponseHeaders headers,
      LeaseDeadlines deadlines,
      LeaderLink leader,
      long minTtlSeconds) {
    this.calls = calls;
    this.headers = headers;
    this.deadlines = deadlines;
    this.leader = leader;
    this.minTtlSeconds = minTtlSeconds;
  }

  /**
   * The facade picks the id of a grant that asks for none and writes it into the log entry, so a
   * retried entry grants the same lease instead of a second one.
   */
  @Override
  public void leaseGrant(LeaseGrantRequest req, StreamObserver<LeaseGrantResponse> out) {
    Replies.answer(
        out,
        () -> {
          if (req.getTTL() > MAX_TTL_SECONDS) {
            throw EtcdApiErrors.LEASE_TTL_TOO_LARGE;
          }
          if (req.getID() < 0) {
            throw EtcdApiErrors.invalid("mapsync: a lease id must be positive, got " + req.getID());
          }
          long ttl = Math.max(req.getTTL(), minTtlSeconds);
          long id = req.getID() != 0 ? req.getID() : newLeaseId(calls.local());
          LogEntry grant =
              LogEntry.newBuilder()
                  .setLeaseGrant(LeaseGrant.newBuilder().setId(id).setTtlSeconds(ttl))
                  .build();
          return calls
              .append(grant)
              .thenApply(
                  r -> {
                    if (calls.cluster().isLeader()) {
                      deadlines.renew(id, ttl);
                    }
                    return LeaseGrantResponse.newBuilder()
                        .setHeader(headers.at(r.getRevision()))
                        .setID(id)
                        .setTTL(ttl)
                        .build();
                  });
        });
  }

  private static long newLeaseId(ReplicaState local) {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    } while (local.leases().containsKey(id));
    return id;
  }

  @Override
  public void leaseRevoke(LeaseRevokeRequest req, StreamObserver<LeaseRevokeResponse> out) {
    Replies.answer(
        out,
        () ->
            calls
                .append(
                    LogEntry.newBuilder()
                        .setLeaseRevoke(LeaseRevoke.newBuilder().setId(req.getID()))
                        .build())
                .thenApply(
                    r ->
                        LeaseRevokeResponse.newBuilder()
                            .setHeader(headers.at(r.getRevision()))
                            .build()));
  }

  /** Answers a stream's keep-alives one after the other, in the order they came. */
  @Override
  public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(
      StreamObserver<LeaseKeepAliveResponse> out) {
    return new StreamObserver<>() {
      private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
      private boolean ended; // guarded by out

      {
        ((ServerCallStreamObserver<LeaseKeepAliveResponse>) out)
            .setOnCancelHandler(
                () -> {
                  synchronized (out) {
                    ended = true;
                  }
                });
      }

      @Override
      public synchronized void onNext(LeaseKeepAliveRequest req) {
        last =
            last.thenCompose(v -> keepAlive(req))
                .handle(
                    (response, error) -> {
                      synchronized (out) {
                        if (ended) {
                          return null;
                        }
                        if (error != null) {
                          ended = true;
                          Replies.fail(out, error);
                        } else {
                          out.onNext(response);
                        }
                      }
                      return null;
                    });
      }

      @Override
      public void onError(Throwable t) {
        LOG.debug("keep-alive stream ended by the client: {}", t.toString());
      }

      @Override
      public synchronized void onCompleted() {
        last.whenComplete(
            (v, e) -> {
              synchronized (out) {
                if (!ended) {
                  ended = true;
                  out.onCompleted();
                }
              }
            });
      }
    };
  }

  private CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest req) {
    if (!calls.cluster().isLeader()) {
      return LeaderLink.isForwardedCall()
          ? CompletableFuture.failedFuture(EtcdApiErrors.NOT_LEADER)
          : leader.keepAlive(req);
    }
    ReplicaState local = calls.local();
    Long granted = local.leases().get(req.getID());
    // etcd answers a keep-alive for a lease that is gone with TTL 0, not with an error.
    long ttl = granted == null ? 0 : Math.max(0, deadlines.renew(req.getID(), granted));
    return CompletableFuture.completedFuture(
        LeaseKeepAliveResponse.newBuilder()
            .setHeader(headers.at(local.revision()))
            .setID(req.getID())
            .setTTL(ttl)
            .build());
  }

  @Override
  public void leaseTimeToLive(
      LeaseTimeToLiveRequest req, StreamObserver<LeaseTimeToLiveResponse> out) {
    Replies.answer(
        out,
        () -> {
          if (!calls.cluster().isLeader()) {
            return LeaderLink.isForwardedCall()
                ? CompletableFuture.failedFuture(EtcdApiErrors.NOT_LEADER)
                : leader.timeToLive(req);
          }
          ReplicaState local = calls.local();
          Long granted = local.leases().get(req.getID());
          LeaseTimeToLiveResponse.Builder answer =
              LeaseTimeToLiveResponse.newBuilder()
                  .setHeader(headers.at(local.revision()))
                  .setID(req.getID());
          if (granted == null) {
            // etcd's answer for a lease that does not exist (etcdctl prints "already expired").
            return CompletableFuture.completedFuture(answer.setTTL(-1).build());
          }
          answer.setTTL(deadlines.remainingSeconds(req.getID(), granted)).setGrantedTTL(granted);
          if (req.getKeys()) {
            answer.addAllKeys(local.leaseKeys(req.getID()));
          }
          return CompletableFuture.completedFuture(answer.build());
        });
  }

  /** LeaseLeases: every lease this member's replica holds. */
  ByteString leaseList() {
    ReplicaState local = calls.local();
    return LeaseListMethod.response(headers.at(local.revision()), local.leases().keySet());
  }
}
