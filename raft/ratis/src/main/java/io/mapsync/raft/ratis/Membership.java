package io.mapsync.raft.ratis;

import io.mapsync.store.StoreException;
import io.mapsync.store.cluster.ClusterMember;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.SetConfigurationException;
import org.apache.ratis.server.RaftConfiguration;

/**
 * The cluster's configuration: voters and listeners, read after a read barrier (so a change that
 * completed before is visible), and changed through Ratis's set-configuration (the leader stages
 * new members until they caught up, then commits the joint and the new configuration).
 */
final class Membership {
  private static final int CAS_ATTEMPTS = 5;

  /** The member's current Raft client (it is replaced when Ratis closed it). */
  private final Supplier<RaftClient> client;

  private final Supplier<RaftConfiguration> localConf;
  private final Supplier<CompletableFuture<Long>> barrier;
  private final Executor blockingCalls;

  /** Client (etcd API) addresses: Raft configurations carry only peer addresses. */
  private final Map<String, String> clientAddresses;

  Membership(
      Supplier<RaftClient> client,
      Supplier<RaftConfiguration> localConf,
      Supplier<CompletableFuture<Long>> barrier,
      Executor blockingCalls,
      Map<String, String> clientAddresses) {
    this.client = client;
    this.localConf = localConf;
    this.barrier = barrier;
    this.blockingCalls = blockingCalls;
    this.clientAddresses = new ConcurrentHashMap<>(clientAddresses);
  }

  CompletableFuture<List<ClusterMember>> members() {
    return barrier.get().thenApply(revision -> current());
  }

  /** The configuration as this member knows it now (no barrier). */
  List<ClusterMember> current() {
    RaftConfiguration conf = localConf.get();
    List<ClusterMember> out = new ArrayList<>();
    conf.getCurrentPeers(RaftPeerRole.FOLLOWER).forEach(p -> out.add(toMember(p, false)));
    conf.getCurrentPeers(RaftPeerRole.LISTENER).forEach(p -> out.add(toMember(p, true)));
    out.sort(Comparator.comparing(ClusterMember::id));
    return List.copyOf(out);
  }

  private ClusterMember toMember(RaftPeer peer, boolean listener) {
    String id = peer.getId().toString();
    return new ClusterMember(id, peer.getAddress(), clientAddresses.getOrDefault(id, ""), listener);
  }

  CompletableFuture<List<ClusterMember>> add(ClusterMember member) {
    RaftPeer peer = RatisNode.toPeer(member.id(), member.peerAddress(), member.listener());
    SetConfigurationRequest.Arguments args =
        SetConfigurationRequest.Arguments.newBuilder()
            .setMode(SetConfigurationRequest.Mode.ADD)
            .setServersInNewConf(member.listener() ? List.of() : List.of(peer))
            .setListenersInNewConf(member.listener() ? List.of(peer) : List.of())
            .build();
    if (!member.clientAddress().isEmpty()) {
      clientAddresses.put(member.id(), member.clientAddress());
    }
    return setConfiguration("add " + member.id(), args).thenCompose(v -> members());
  }

  /**
   * Removes a member; compare-and-set against the configuration read just before, retried if it
   * moved.
   */
  CompletableFuture<List<ClusterMember>> remove(String id) {
    return removeAttempt(id, 1).thenCompose(v -> members());
  }

  private CompletableFuture<Void> removeAttempt(String id, int attempt) {
    return barrier
        .get()
        .thenCompose(
            revision -> {
              RaftConfiguration conf = localConf.get();
              List<RaftPeer> voters = List.copyOf(conf.getCurrentPeers(RaftPeerRole.FOLLOWER));
              List<RaftPeer> listeners = List.copyOf(conf.getCurrentPeers(RaftPeerRole.LISTENER));
              if (!contains(voters, id) && !contains(listeners, id)) {
                return CompletableFuture.failedFuture(
                    new StoreException(
                        StoreException.Reason.REJECTED,
                        "remove "
                            + id
                            + ": not a member (members: "
                            + current().stream().map(ClusterMember::id).toList()
                            + ")"));
              }
              List<RaftPeer> newVoters =
                  voters.stream().filter(p -> !p.getId().toString().equals(id)).toList();
              if (newVoters.isEmpty()) {
                return CompletableFuture.failedFuture(
                    new StoreException(
                        StoreException.Reason.REJECTED, "remove " + id + ": it is the last voter"));
              }
              SetConfigurationRequest.Arguments args =
                  SetConfigurationRequest.Arguments.newBuilder()
                      .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                      .setServersInCurrentConf(voters)
                      .setListenersInCurrentConf(listeners)
                      .setServersInNewConf(newVoters)
                      .setListenersInNewConf(
                          listeners.stream().filter(p -> !p.getId().toString().equals(id)).toList())
                      .build();
              return setConfiguration("remove " + id, args)
                  .exceptionallyCompose(
                      t -> {
                        boolean moved =
                            RatisFailures.unwrap(t) instanceof StoreException se
                                && se.getCause() instanceof SetConfigurationException
                                && attempt < CAS_ATTEMPTS;
                        return moved
                            ? removeAttempt(id, attempt + 1)
                            : CompletableFuture.failedFuture(t);
                      });
            });
  }

  private static boolean contains(Collection<RaftPeer> peers, String id) {
    return peers.stream().anyMatch(p -> p.getId().toString().equals(id));
  }

  /** Ratis's admin API blocks; run it off the caller's thread. */
  private CompletableFuture<Void> setConfiguration(
      String what, SetConfigurationRequest.Arguments args) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            RaftClientReply reply = client.get().admin().setConfiguration(args);
            if (!reply.isSuccess()) {
              throw RatisFailures.toStore(
                  what,
                  reply.getException() != null
                      ? reply.getException()
                      : new IOException("set configuration failed: " + reply));
            }
          } catch (IOException e) {
            throw new CompletionException(RatisFailures.toStore(what, e));
          }
        },
        blockingCalls);
  }
}
