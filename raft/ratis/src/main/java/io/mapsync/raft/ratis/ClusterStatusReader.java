package io.mapsync.raft.ratis;

import io.mapsync.store.ClusterStatus;
import io.mapsync.store.MemberStatus;
import io.mapsync.store.cluster.ClusterMember;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.LogInfoProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/**
 * Leader, term and progress of every member: this member from its own division, the others by
 * asking each for its group info (a member that does not answer in time is reported UNKNOWN).
 */
final class ClusterStatusReader {
  private final RaftServer.Division local;
  private final RaftGroupId groupId;
  private final RaftClient probe;
  private final Executor blockingCalls;
  private final Duration timeout;

  /**
   * @param probe a client that does not retry and times out quickly: status must not hang on a
   *     member that is down
   */
  ClusterStatusReader(
      RaftServer.Division local,
      RaftGroupId groupId,
      RaftClient probe,
      Executor blockingCalls,
      Duration timeout) {
    this.local = local;
    this.groupId = groupId;
    this.probe = probe;
    this.blockingCalls = blockingCalls;
    this.timeout = timeout;
  }

  CompletableFuture<ClusterStatus> read(List<ClusterMember> members) {
    List<CompletableFuture<MemberStatus>> each = new ArrayList<>();
    for (ClusterMember m : members) {
      each.add(
          m.id().equals(local.getId().toString())
              ? CompletableFuture.completedFuture(self(m))
              : ask(m).completeOnTimeout(unknown(m), timeout.toMillis(), TimeUnit.MILLISECONDS));
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<MemberStatus> statuses = each.stream().map(CompletableFuture::join).toList();
              DivisionInfo info = local.getInfo();
              RaftPeerId leader = info.getLeaderId();
              return new ClusterStatus(
                  "ratis",
                  leader == null ? "" : leader.toString(),
                  info.getCurrentTerm(),
                  statuses);
            });
  }

  private MemberStatus self(ClusterMember m) {
    DivisionInfo info = local.getInfo();
    return new MemberStatus(
        m.id(),
        m.peerAddress(),
        info.getCurrentRole().name(),
        info.getCurrentTerm(),
        local.getRaftLog().getLastCommittedIndex(),
        info.getLastAppliedIndex(),
        local.getStateMachine().getLatestSnapshot() == null
            ? 0
            : local.getStateMachine().getLatestSnapshot().getIndex());
  }

  private CompletableFuture<MemberStatus> ask(ClusterMember m) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            GroupInfoReply reply =
                probe.getGroupManagementApi(RaftPeerId.valueOf(m.id())).info(groupId);
            RoleInfoProto role = reply.getRoleInfoProto();
            LogInfoProto log = reply.getLogInfoProto();
            long term =
                Math.max(
                    role.hasLeaderInfo() ? role.getLeaderInfo().getTerm() : 0,
                    log.getLastEntry().getTerm());
            return new MemberStatus(
                m.id(),
                m.peerAddress(),
                role.getRole().name(),
                term,
                log.getCommitted().getIndex(),
                log.getApplied().getIndex(),
                log.getLastSnapshot().getIndex());
          } catch (IOException | RuntimeException e) {
            return unknown(m);
          }
        },
        blockingCalls);
  }

  private static MemberStatus unknown(ClusterMember m) {
    return new MemberStatus(m.id(), m.peerAddress(), "UNKNOWN", 0, 0, 0, 0);
  }
}
