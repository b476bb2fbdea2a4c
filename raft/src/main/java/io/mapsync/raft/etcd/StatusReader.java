package io.mapsync.raft.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.mapsync.store.ClusterStatus;
import io.mapsync.store.MemberStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@link ClusterStatus} from etcd's member list and each member's own status. A member that
 * does not answer in time is listed with role UNKNOWN; learners are listed as LISTENER, the closest
 * mapsync role (they receive the log but do not vote).
 */
final class StatusReader {
  private final Client client;
  private final Retrier retrier;
  private final Duration attemptTimeout;

  StatusReader(Client client, Retrier retrier, Duration attemptTimeout) {
    this.client = client;
    this.retrier = retrier;
    this.attemptTimeout = attemptTimeout;
  }

  CompletableFuture<ClusterStatus> read() {
    return retrier.call("list etcd members", () -> client.getClusterClient().listMember())
        .thenCompose(list -> {
          List<Member> members = list.getMembers();
          List<CompletableFuture<StatusResponse>> statuses = new ArrayList<>();
          for (Member m : members) {
            statuses.add(statusOf(m));
          }
          return CompletableFuture.allOf(statuses.toArray(CompletableFuture[]::new))
              .thenApply(x -> assemble(members, statuses.stream().map(f -> f.getNow(null)).toList()));
        });
  }

  /** The member's own status, or null if it does not answer in time. */
  private CompletableFuture<StatusResponse> statusOf(Member m) {
    if (m.getClientURIs().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return client.getMaintenanceClient().statusMember(m.getClientURIs().get(0).toString())
        .orTimeout(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> null);
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
      out.add(new MemberStatus(id, address, role, s.getRaftTerm(), s.getRaftIndex(), s.getRaftAppliedIndex(), 0));
    }
    return new ClusterStatus("etcd", leader, term, out);
  }
}
