package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.MAP;
import static io.mapsync.raft.ratis.Replicas.WAIT;
import static io.mapsync.raft.ratis.Replicas.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.store.ClusterStatus;
import io.mapsync.store.MemberStatus;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.cluster.ClusterMember;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.store.state.KeyLayout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Listeners, joining members, and adding and removing voters. */
class RatisMembershipTest extends LocalClusterTest {
  @Test
  void aListenerReceivesEverythingButNeverVotes() throws Exception {
    cluster = LocalCluster.start(dir, 3, 1, Transport.GRPC, Map.of());
    RatisNode listener = cluster.node("n4");
    AtomicBoolean listenerLed = new AtomicBoolean();
    listener.onLeadershipChange(is -> listenerLed.compareAndSet(false, is));
    assertEquals("LISTENER", listener.role());
    List<ClusterMember> members = get(listener.members());
    assertEquals(List.of("n1", "n2", "n3", "n4"), members.stream().map(ClusterMember::id).toList());
    assertEquals(
        List.of(false, false, false, true), members.stream().map(ClusterMember::listener).toList());

    RecordingListener seen = new RecordingListener();
    listener.store().watch(WatchRequest.prefix(KeyLayout.mapPrefix(MAP), 0), seen);
    RatisNode leader = cluster.leader(WAIT);
    StateStore store = leader.store();
    Replicas.registerMap(store);
    Replicas.write(store, 0, 20, 1);
    RecordingListener.await("the listener sees all 20 writes", WAIT, () -> seen.eventCount() == 20);
    assertEquals(
        20,
        get(listener.store().readMaps(List.of(MAP))).entries(MAP).size(),
        "linearizable read there");

    // With the listener and one voter down, two of three voters still commit: the listener is not
    // part of the majority (as a fourth voter, two of four would not be enough).
    RatisNode follower =
        cluster.others(leader).stream().filter(n -> n != listener).findFirst().orElseThrow();
    cluster.stop("n4");
    cluster.stop(follower.config().nodeId());
    long last = Replicas.write(cluster.leader(WAIT).store(), 20, 30, 1);
    cluster.restart(follower.config().nodeId());
    RatisNode back = cluster.restart("n4");
    assertEquals(30, Replicas.awaitConverged(cluster, last).size());
    assertEquals("LISTENER", back.role());

    ClusterStatus status = get(back.status());
    MemberStatus mine =
        status.members().stream().filter(m -> m.id().equals("n4")).findFirst().orElseThrow();
    assertEquals("LISTENER", mine.role());
    assertTrue(mine.appliedIndex() >= last, "listener applied " + mine.appliedIndex());
    assertFalse(listenerLed.get(), "the listener became leader");
    assertFalse(back.isLeader());
  }

  @Test
  void aJoiningMemberIsAddedAsVoterAndAVoterIsRemoved() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, Map.of());
    RatisNode leader = cluster.leader(WAIT);
    Replicas.registerMap(leader.store());
    Replicas.write(leader.store(), 0, 50, 1);

    RatisNode joining = cluster.startJoining("n4", false);
    assertEquals(
        0, joining.localState().revision(), "a joining member receives nothing before it is added");
    List<ClusterMember> after = get(cluster.node("n2").addMember(joining.self()));
    assertEquals(List.of("n1", "n2", "n3", "n4"), after.stream().map(ClusterMember::id).toList());
    assertFalse(after.get(3).listener());
    long last = Replicas.write(leader.store(), 50, 60, 1);
    assertEquals(60, Replicas.awaitConverged(cluster, last).size());

    // Remove a voter that is not the leader; then one more voter down still leaves a majority of
    // the new three (n4 votes now).
    RatisNode current = cluster.leader(WAIT);
    List<String> followers =
        cluster.others(current).stream()
            .map(n -> n.config().nodeId())
            .filter(id -> !id.equals("n4"))
            .toList();
    String removed = followers.get(0);
    List<ClusterMember> smaller = get(current.removeMember(removed));
    assertFalse(smaller.stream().anyMatch(m -> m.id().equals(removed)), smaller.toString());
    assertEquals(3, smaller.size());
    cluster.stop(removed);
    String alsoDown = followers.get(1);
    cluster.stop(alsoDown);
    long more = Replicas.write(cluster.leader(WAIT).store(), 60, 70, 1);
    assertEquals(70, Replicas.awaitConverged(cluster, more).size());
  }

  /**
   * Chaos bug 6: a remove sent to the leader ran its configuration change on the Ratis thread that
   * answered the read barrier and deadlocked the leader. Each change here must complete in time.
   */
  @Test
  void membershipChangesSentToTheLeaderComplete() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, Map.of());
    Replicas.registerMap(cluster.leader(WAIT).store());
    long last = Replicas.write(cluster.leader(WAIT).store(), 0, 10, 1);
    for (int round = 1; round <= 3; round++) {
      RatisNode leader = cluster.leader(WAIT);
      String follower = cluster.others(leader).get(0).config().nodeId();
      List<ClusterMember> smaller = leader.removeMember(follower).get(20, TimeUnit.SECONDS);
      assertFalse(
          smaller.stream().anyMatch(m -> m.id().equals(follower)),
          "round " + round + ": " + smaller);
      cluster.wipe(follower);
      RatisNode back = cluster.rejoin(follower);
      List<ClusterMember> again =
          cluster.leader(WAIT).addMember(back.self()).get(20, TimeUnit.SECONDS);
      assertTrue(
          again.stream().anyMatch(m -> m.id().equals(follower)), "round " + round + ": " + again);
      last = Replicas.write(cluster.leader(WAIT).store(), 10 * round, 10 * round + 10, 1);
    }
    assertEquals(40, Replicas.awaitConverged(cluster, last).size());
  }

  @Test
  void aJoiningMemberIsAddedAsListener() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, Map.of());
    RatisNode leader = cluster.leader(WAIT);
    Replicas.registerMap(leader.store());
    Replicas.write(leader.store(), 0, 30, 1);
    RatisNode joining = cluster.startJoining("n4", true);
    List<ClusterMember> after = get(leader.addMember(joining.self()));
    assertTrue(after.stream().anyMatch(m -> m.id().equals("n4") && m.listener()), after.toString());
    long last = Replicas.write(leader.store(), 30, 40, 1);
    assertEquals(40, Replicas.awaitConverged(cluster, last).size());
    RecordingListener.await(
        "n4 takes the listener role", WAIT, () -> "LISTENER".equals(joining.role()));
    Exception refused = expectFailure(() -> get(leader.removeMember("n9")));
    assertEquals(StoreException.Reason.REJECTED, ((StoreException) refused).reason());
  }

  private static Exception expectFailure(java.util.concurrent.Callable<?> call) {
    try {
      call.call();
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }
}
