package io.mapsync.raft.etcdapi;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberAddResponse;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.MemberPromoteRequest;
import io.etcd.jetcd.api.MemberPromoteResponse;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberRemoveResponse;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MemberUpdateResponse;
import io.grpc.stub.StreamObserver;
import io.mapsync.store.cluster.ClusterMember;
import java.util.List;

/**
 * etcd's Cluster service over mapsync's membership. Voters are etcd members, listeners are etcd
 * learners (both receive the log; neither a listener nor a learner votes). Member ids are hashes of
 * member names ({@link MemberIds}); a new member's name travels in its peer URL ({@link PeerUrls}).
 */
final class ClusterService extends ClusterGrpc.ClusterImplBase {
  private final ClusterCalls calls;
  private final ResponseHeaders headers;

  /** "https://" when the cluster runs with TLS (peers and client ports alike), else "http://". */
  private final String scheme;

  ClusterService(ClusterCalls calls, ResponseHeaders headers, boolean tls) {
    this.calls = calls;
    this.headers = headers;
    this.scheme = tls ? "https://" : "http://";
  }

  @Override
  public void memberList(MemberListRequest req, StreamObserver<MemberListResponse> out) {
    Replies.answer(
        out,
        () ->
            calls
                .cluster()
                .members()
                .thenApply(
                    members ->
                        MemberListResponse.newBuilder()
                            .setHeader(header())
                            .addAllMembers(toEtcd(ClientAddresses.fill(members, calls.local())))
                            .build()));
  }

  @Override
  public void memberAdd(MemberAddRequest req, StreamObserver<MemberAddResponse> out) {
    Replies.answer(
        out,
        () -> {
          PeerUrls.Peer peer = PeerUrls.parse(req.getPeerURLsList());
          return calls
              .cluster()
              .members()
              .thenCompose(
                  members -> {
                    for (ClusterMember m : members) {
                      if (m.id().equals(peer.name())) {
                        throw EtcdApiErrors.MEMBER_EXIST;
                      }
                      if (m.peerAddress().equals(peer.address())) {
                        throw EtcdApiErrors.PEER_URL_EXIST;
                      }
                    }
                    ClusterMember added =
                        new ClusterMember(peer.name(), peer.address(), "", req.getIsLearner());
                    return calls.cluster().addMember(added);
                  })
              .thenApply(
                  members ->
                      MemberAddResponse.newBuilder()
                          .setHeader(header())
                          .setMember(
                              Member.newBuilder()
                                  .setID(MemberIds.memberId(peer.name()))
                                  .setName(peer.name())
                                  .addAllPeerURLs(req.getPeerURLsList())
                                  .setIsLearner(req.getIsLearner()))
                          .addAllMembers(toEtcd(ClientAddresses.fill(members, calls.local())))
                          .build());
        });
  }

  @Override
  public void memberRemove(MemberRemoveRequest req, StreamObserver<MemberRemoveResponse> out) {
    Replies.answer(
        out,
        () ->
            calls
                .memberById(req.getID())
                .thenCompose(
                    member ->
                        calls
                            .cluster()
                            .removeMember(
                                member.orElseThrow(() -> EtcdApiErrors.MEMBER_NOT_FOUND).id()))
                .thenApply(
                    members ->
                        MemberRemoveResponse.newBuilder()
                            .setHeader(header())
                            .addAllMembers(toEtcd(ClientAddresses.fill(members, calls.local())))
                            .build()));
  }

  @Override
  public void memberUpdate(MemberUpdateRequest req, StreamObserver<MemberUpdateResponse> out) {
    out.onError(
        EtcdApiErrors.unsupported(
            "MemberUpdate (changing a member's peer URLs)",
            "a mapsync member's peer address is its identity in the Raft group; remove the member and add it again"));
  }

  @Override
  public void memberPromote(MemberPromoteRequest req, StreamObserver<MemberPromoteResponse> out) {
    out.onError(
        EtcdApiErrors.unsupported(
            "MemberPromote (learner to voter)",
            "the backend cannot turn a listener into a voter in place; remove the member and add it again without --learner"));
  }

  private io.etcd.jetcd.api.ResponseHeader header() {
    return headers.at(calls.local().revision());
  }

  List<Member> toEtcd(List<ClusterMember> members) {
    return members.stream().map(this::toEtcd).toList();
  }

  Member toEtcd(ClusterMember m) {
    Member.Builder member =
        Member.newBuilder()
            .setID(MemberIds.memberId(m.id()))
            .setName(m.id())
            .addPeerURLs(scheme + m.peerAddress())
            .setIsLearner(m.listener());
    if (!m.clientAddress().isEmpty()) {
      member.addClientURLs(scheme + m.clientAddress());
    }
    return member.build();
  }
}
