package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.MAP;
import static io.mapsync.raft.ratis.Replicas.WAIT;
import static io.mapsync.raft.ratis.Replicas.get;
import static io.mapsync.raft.ratis.Replicas.local;
import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.contract.RecordingListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Several Raft groups on the same three servers: the default group (n1, n2, n3) and group b (voters
 * n2, n3; n1 follows it as a listener). Leaders spread, and a group that loses its quorum stalls
 * only its own writes.
 */
class MultiGroupTest extends LocalClusterTest {
  private static final RaftGroupSpec B = new RaftGroupSpec("b", List.of("n2", "n3"));
  private static final Duration LONG_WAIT = Duration.ofSeconds(90);

  @Test
  void aGroupWithoutQuorumStallsOnlyItsMapsAndLeadersSpread() throws Exception {
    cluster =
        LocalCluster.start(
            dir, 3, 0, Transport.GRPC, Map.of("mapsync.request.timeout", "5s"), List.of(B));
    // The default group prefers n1, group b n2 (Raft priority): leaders on two members.
    for (String id : List.of("n1", "n2", "n3")) {
      RatisNode n = cluster.node(id);
      RecordingListener.await(
          id + " sees n1 lead the default group and n2 lead group b",
          LONG_WAIT,
          () ->
              n.leaderId().equals(java.util.Optional.of("n1"))
                  && n.groups().get("b").leaderId().equals(java.util.Optional.of("n2")));
    }
    assertEquals("LISTENER", cluster.node("n1").groups().get("b").role(), "n1 follows b");

    StateStore a = cluster.node("n2").store();
    StateStore b = cluster.node("n2").groups().get("b").store();
    Replicas.registerMap(a);
    Replicas.registerMap(b);
    Replicas.write(a, 0, 5, 1);
    long lastB = Replicas.write(b, 100, 105, 2);
    RatisNode n1b = cluster.node("n1").groups().get("b");
    RecordingListener.await("n1 applies group b", WAIT, () -> n1b.localState().revision() >= lastB);
    assertEquals(5, local(n1b).size(), "group b's replica on its listener");
    assertEquals(5, local(cluster.node("n1")).size(), "the groups' maps are apart");

    // Group b's leader n2 keeps one voter of two: no quorum; the default group keeps two of three.
    cluster.stop("n3");
    StoreException stalled =
        assertThrows(StoreException.class, () -> get(b.propose(batch(put(MAP, u32(200), u32(1))))));
    assertTrue(
        Set.of(
                StoreException.Reason.NO_LEADER,
                StoreException.Reason.TIMEOUT,
                StoreException.Reason.UNAVAILABLE)
            .contains(stalled.reason()),
        stalled.toString());
    assertTrue(stalled.getMessage().contains("(group b)"), stalled.getMessage());

    long lastA = Replicas.write(a, 5, 10, 1);
    assertEquals(10, Replicas.awaitConverged(cluster, lastA).size(), "the default group goes on");

    cluster.restart("n3"); // recovers both groups from its data dir
    long last = retry(() -> Replicas.write(b, 105, 110, 2));
    for (String id : List.of("n1", "n2", "n3")) {
      RatisNode nb = cluster.node(id).groups().get("b");
      RecordingListener.await(
          id + " applies group b after its quorum is back",
          WAIT,
          () -> nb.localState().revision() >= last);
      for (int k = 100; k < 110; k++) {
        assertTrue(local(nb).containsKey(u32(k)), id + "'s replica of group b lacks key " + k);
      }
    }
    assertEquals(10, Replicas.awaitConverged(cluster, lastA).size(), "n3 caught up on default");
  }

  @Test
  void badGroupsAreRefusedWithOneReadableMessage() {
    RatisConfig c =
        RatisConfig.builder("n1")
            .peer("n1", "127.0.0.1:7001")
            .peer("n2", "127.0.0.1:7002")
            .peer("n3", "127.0.0.1:7003")
            .listener("n3")
            .dataDir(dir.resolve("n1"))
            .build();
    assertEquals(
        "group 'b' is listed twice", refused(c, List.of(new RaftGroupSpec("b", List.of("n1")), B)));
    assertEquals(
        "group 'b': member 'n9' is not one of the voters [n1, n2]",
        refused(c, List.of(new RaftGroupSpec("b", List.of("n9")))));
    assertEquals(
        "group 'b': member 'n3' is not one of the voters [n1, n2]",
        refused(c, List.of(new RaftGroupSpec("b", List.of("n3")))));
    assertTrue(
        refused(c, List.of(new RaftGroupSpec("default", List.of("n1")))).contains("reserved"));
    assertThrows(IllegalArgumentException.class, () -> new RaftGroupSpec("b c", List.of("n1")));
    assertThrows(IllegalArgumentException.class, () -> new RaftGroupSpec("b", List.of()));
  }

  @Test
  void groupsPreferVotersRoundRobin() {
    RatisConfig c =
        RatisConfig.builder("n1")
            .peer("n1", "127.0.0.1:7001")
            .peer("n2", "127.0.0.1:7002")
            .peer("n3", "127.0.0.1:7003")
            .dataDir(dir.resolve("n1"))
            .build();
    List<String> all = List.of("n1", "n2", "n3");
    assertEquals("n1", RatisNode.preferredLeader(c, all, 0));
    assertEquals("n2", RatisNode.preferredLeader(c, all, 1));
    assertEquals("n3", RatisNode.preferredLeader(c, List.of("n2", "n3"), 2));
    assertNotEquals("n1", RatisNode.preferredLeader(c, List.of("n2", "n3"), 3));
  }

  private static String refused(RatisConfig c, List<RaftGroupSpec> groups) {
    return assertThrows(IllegalArgumentException.class, () -> RatisNode.start(c, null, groups))
        .getMessage();
  }

  private interface Write {
    long run() throws Exception;
  }

  /** Retries a write while the restarted member's group elects a leader. */
  private static long retry(Write w) throws Exception {
    long deadline = System.nanoTime() + LONG_WAIT.toNanos();
    while (true) {
      try {
        return w.run();
      } catch (StoreException e) {
        if (System.nanoTime() > deadline || e.reason() == StoreException.Reason.REJECTED) {
          throw e;
        }
      }
    }
  }
}
