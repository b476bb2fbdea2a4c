package io.mapsync.raft.etcdapi;

import io.mapsync.store.ClusterStatus;
import io.mapsync.store.MemberStatus;
import io.mapsync.store.StateStore;
import io.mapsync.store.cluster.ClusterMember;
import io.mapsync.store.cluster.ServedCluster;
import io.mapsync.store.memory.InMemoryStore;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.wire.ApplyResult;
import io.mapsync.wire.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link ServedCluster} over one {@link InMemoryStore}, for the facade's tests. Several members
 * can share one store (they then share one replica, so there is no replication lag); one of them is
 * the leader, and tests can move leadership to exercise forwarding and lease deadlines.
 */
final class InMemoryServedCluster implements ServedCluster {
  /** What the members of one test cluster share. */
  private static final class Group {
    final InMemoryStore store = new InMemoryStore();
    final List<ClusterMember> members = new CopyOnWriteArrayList<>();
    final List<InMemoryServedCluster> handles = new CopyOnWriteArrayList<>();
    volatile String leader;
    volatile long term = 1;
  }

  private final Group group;
  private final String name;
  private final List<Consumer<Boolean>> leadershipListeners = new CopyOnWriteArrayList<>();

  private InMemoryServedCluster(Group group, String name) {
    this.group = group;
    this.name = name;
  }

  /** Members n1..nN sharing one store; n1 leads. */
  static List<InMemoryServedCluster> group(int size) {
    Group group = new Group();
    List<InMemoryServedCluster> handles = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      String name = "n" + i;
      group.members.add(new ClusterMember(name, "127.0.0.1:" + (17000 + i), "", false));
      InMemoryServedCluster handle = new InMemoryServedCluster(group, name);
      group.handles.add(handle);
      handles.add(handle);
    }
    group.leader = "n1";
    return handles;
  }

  /** Records where this member's etcd API listens, once its server has a port. */
  void setClientAddress(String hostPort) {
    group.members.replaceAll(
        m ->
            m.id().equals(name)
                ? new ClusterMember(m.id(), m.peerAddress(), hostPort, m.listener())
                : m);
  }

  /** Moves leadership to the named member (a new term), telling every member what changed. */
  void electLeader(String newLeader) {
    String old = group.leader;
    group.leader = newLeader;
    group.term++;
    for (InMemoryServedCluster h : group.handles) {
      if (h.name.equals(old) && !old.equals(newLeader)) {
        h.leadershipListeners.forEach(l -> l.accept(false));
      }
      if (h.name.equals(newLeader)) {
        h.leadershipListeners.forEach(l -> l.accept(true));
      }
    }
  }

  InMemoryStore memoryStore() {
    return group.store;
  }

  @Override
  public StateStore store() {
    return group.store;
  }

  @Override
  public ReplicaState localState() {
    return group.store.state();
  }

  @Override
  public CompletableFuture<ApplyResult> append(LogEntry entry) {
    return group.store.append(entry.toBuilder());
  }

  @Override
  public ClusterMember self() {
    return group.members.stream()
        .filter(m -> m.id().equals(name))
        .findFirst()
        .orElse(new ClusterMember(name, "", "", false));
  }

  @Override
  public CompletableFuture<List<ClusterMember>> members() {
    return CompletableFuture.completedFuture(List.copyOf(group.members));
  }

  @Override
  public CompletableFuture<List<ClusterMember>> addMember(ClusterMember member) {
    group.members.add(member);
    return members();
  }

  @Override
  public CompletableFuture<List<ClusterMember>> removeMember(String id) {
    group.members.removeIf(m -> m.id().equals(id));
    return members();
  }

  @Override
  public CompletableFuture<ClusterStatus> status() {
    long applied = localState().revision();
    List<MemberStatus> statuses =
        group.members.stream()
            .map(
                m ->
                    new MemberStatus(
                        m.id(),
                        m.peerAddress(),
                        m.listener()
                            ? "LISTENER"
                            : m.id().equals(group.leader) ? "LEADER" : "FOLLOWER",
                        group.term,
                        applied,
                        applied,
                        0))
            .toList();
    return CompletableFuture.completedFuture(
        new ClusterStatus("memory", group.leader, group.term, statuses));
  }

  @Override
  public boolean isLeader() {
    return name.equals(group.leader);
  }

  @Override
  public void onLeadershipChange(Consumer<Boolean> listener) {
    leadershipListeners.add(listener);
  }

  void closeStore() {
    group.store.close();
  }
}
