package io.mapsync.raft.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.etcd.jetcd.cluster.Member;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.mapsync.store.ClusterStatus;
import io.mapsync.store.MemberStatus;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@link ClusterStatus} from etcd's member list and each member's own status. A member that
 * does not answer in time is listed with role UNKNOWN; learners are listed as LISTENER, the closest
 * mapsync role (they receive the log but do not vote).
 *
 * <p>Each member is asked over a channel of its own, kept for the store's life. jetcd's {@code
 * statusMember} opens a channel per call and, when the member is down, never closes it.
 */
final class StatusReader implements AutoCloseable {
  private final Client client;
  private final Retrier retrier;
  private final Duration attemptTimeout;

  /** Mutual TLS to the members, or null for plain text. */
  private final SslContext tls;

  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  StatusReader(Client client, Retrier retrier, Duration attemptTimeout, SslContext tls) {
    this.tls = tls;
    this.client = client;
    this.retrier = retrier;
    this.attemptTimeout = attemptTimeout;
  }

  CompletableFuture<ClusterStatus> read() {
    return retrier
        .call("list etcd members", () -> client.getClusterClient().listMember())
        .thenCompose(
            list -> {
              List<Member> members = list.getMembers();
              List<CompletableFuture<StatusResponse>> statuses = new ArrayList<>();
              for (Member m : members) {
                statuses.add(statusOf(m));
              }
              return CompletableFuture.allOf(statuses.toArray(CompletableFuture[]::new))
                  .thenApply(
                      x -> assemble(members, statuses.stream().map(f -> f.getNow(null)).toList()));
            });
  }

  /** The member's own status, or null if it does not answer in time. */
  private CompletableFuture<StatusResponse> statusOf(Member m) {
    if (m.getClientURIs().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    URI url = m.getClientURIs().get(0);
    ManagedChannel channel =
        channels.computeIfAbsent(
            url.getHost() + ":" + url.getPort(),
            k ->
                tls == null
                    ? NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
                        .usePlaintext()
                        .build()
                    : NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
                        .sslContext(tls)
                        .build());
    CompletableFuture<StatusResponse> out = new CompletableFuture<>();
    MaintenanceGrpc.newStub(channel)
        .withDeadlineAfter(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .status(
            StatusRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(StatusResponse response) {
                out.complete(response);
              }

              @Override
              public void onError(Throwable t) {
                out.complete(null);
              }

              @Override
              public void onCompleted() {
                out.complete(null);
              }
            });
    return out;
  }

  private static ClusterStatus assemble(List<Member> members, List<StatusResponse> statuses) {
    long leaderId = 0;
    long term = 0;
    for (StatusResponse s : statuses) {
      if (s != null && s.getRaftTerm() >= term && s.getLeader() != 0) {
        term = s.getRaftTerm();
        leaderId = s.getLeader();
      }
    }
    String leader = "";
    List<MemberStatus> out = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      StatusResponse s = statuses.get(i);
      String id = m.getName().isEmpty() ? Long.toHexString(m.getId()) : m.getName();
      if (m.getId() == leaderId) {
        leader = id;
      }
      String address = m.getPeerURIs().isEmpty() ? "" : m.getPeerURIs().get(0).toString();
      if (s == null) {
        out.add(new MemberStatus(id, address, m.isLearner() ? "LISTENER" : "UNKNOWN", 0, 0, 0, 0));
        continue;
      }
      String role = m.isLearner() ? "LISTENER" : m.getId() == leaderId ? "LEADER" : "FOLLOWER";
      // etcd does not report its snapshot index through the status API.
      out.add(
          new MemberStatus(
              id, address, role, s.getRaftTerm(), s.getRaftIndex(), s.getRaftAppliedIndex(), 0));
    }
    return new ClusterStatus("etcd", leader, term, out);
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
