package io.mapsync.raft.etcdapi;

import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the lease calls only the leader can answer (keep-alive, time-to-live: the deadlines live
 * on the leader) to the leader's own etcd API port, as an etcd follower forwards them to its
 * leader. A forwarded call is marked, and a member that receives one but is not the leader answers
 * "not leader" instead of forwarding again, so calls never circle.
 */
final class LeaderLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderLink.class);
  private static final Metadata.Key<String> FORWARDED =
      Metadata.Key.of("mapsync-forwarded", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<Boolean> FORWARDED_CALL = Context.key("mapsync-forwarded");

  /** Finding the leader asks every member for its status; keep-alives reuse the answer a while. */
  private static final long LEADER_CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ClusterCalls calls;
  private final Duration timeout;

  /** Mutual TLS to the leader's port (this member's certificate), or null for plain text. */
  private final SslContext tls;

  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile KnownLeader known;

  private record KnownLeader(String address, long seenNanos) {}

  LeaderLink(ClusterCalls calls, Duration timeout, SslContext tls) {
    this.calls = calls;
    this.timeout = timeout;
    this.tls = tls;
  }

  /** Marks calls that arrive forwarded; install on the server. */
  static ServerInterceptor forwardedMarker() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Context context =
            Context.current().withValue(FORWARDED_CALL, headers.containsKey(FORWARDED));
        return Contexts.interceptCall(context, call, headers, next);
      }
    };
  }

  /** True inside a call another member forwarded here. */
  static boolean isForwardedCall() {
    return Boolean.TRUE.equals(FORWARDED_CALL.get());
  }

  CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest request) {
    return forgetLeaderOnFailure(
        leaderStub()
            .thenCompose(
                stub -> {
                  CompletableFuture<LeaseKeepAliveResponse> answer = new CompletableFuture<>();
                  // One request on a short stream: forwarded keep-alives are rare (one per client
                  // per TTL/3).
                  stub.leaseKeepAlive(
                          new ClientResponseObserver<
                              LeaseKeepAliveRequest, LeaseKeepAliveResponse>() {
                            private ClientCallStreamObserver<LeaseKeepAliveRequest> requests;

                            @Override
                            public void beforeStart(
                                ClientCallStreamObserver<LeaseKeepAliveRequest> stream) {
                              requests = stream;
                            }

                            @Override
                            public void onNext(LeaseKeepAliveResponse response) {
                              answer.complete(response);
                              requests.cancel("answered", null);
                            }

                            @Override
                            public void onError(Throwable t) {
                              answer.completeExceptionally(t);
                            }

                            @Override
                            public void onCompleted() {
                              answer.completeExceptionally(EtcdApiErrors.NO_LEADER);
                            }
                          })
                      .onNext(request);
                  return answer;
                }));
  }

  CompletableFuture<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request) {
    return forgetLeaderOnFailure(
        leaderStub()
            .thenCompose(
                stub -> {
                  CompletableFuture<LeaseTimeToLiveResponse> answer = new CompletableFuture<>();
                  stub.leaseTimeToLive(request, completing(answer));
                  return answer;
                }));
  }

  private CompletableFuture<String> leaderAddress() {
    KnownLeader k = known;
    if (k != null && System.nanoTime() - k.seenNanos() < LEADER_CACHE_NANOS) {
      return CompletableFuture.completedFuture(k.address());
    }
    return calls
        .leaderClientAddress()
        .thenApply(
            address -> {
              known = new KnownLeader(address, System.nanoTime());
              return address;
            });
  }

  /** A forwarded call failed: the leader may have moved, so the next call looks again. */
  private <T> CompletableFuture<T> forgetLeaderOnFailure(CompletableFuture<T> call) {
    return call.whenComplete(
        (v, error) -> {
          if (error != null) {
            known = null;
          }
        });
  }

  private CompletableFuture<LeaseGrpc.LeaseStub> leaderStub() {
    return leaderAddress()
        .thenApply(
            address -> {
              ManagedChannel channel =
                  channels.computeIfAbsent(
                      address,
                      a -> {
                        LOG.debug("opening a channel to the leader's etcd API at {}", a);
                        return tls == null
                            ? NettyChannelBuilder.forTarget(a).usePlaintext().build()
                            : NettyChannelBuilder.forTarget(a).sslContext(tls).build();
                      });
              Metadata marker = new Metadata();
              marker.put(FORWARDED, "1");
              return LeaseGrpc.newStub(
                      ClientInterceptors.intercept(
                          channel, MetadataUtils.newAttachHeadersInterceptor(marker)))
                  .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
            });
  }

  private static <T> StreamObserver<T> completing(CompletableFuture<T> answer) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        answer.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        answer.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        answer.completeExceptionally(EtcdApiErrors.NO_LEADER);
      }
    };
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
