package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.get;
import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.store.ClusterStatus;
import io.mapsync.store.MemberStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proposals reach the leader from any member, listeners included, and status reports every member.
 */
class RatisProposalPathsTest {
  @TempDir Path dir;

  @Test
  void everyMemberCanProposeAndStatusShowsEachRole() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 1, Transport.GRPC, Map.of())) {
      Replicas.registerMap(cluster.node("n4").store());
      long last = 0;
      int key = 0;
      for (RatisNode n : cluster.running().values()) {
        last = Math.max(last, Replicas.write(n.store(), key, key + 10, 1));
        key += 10;
      }
      assertEquals(40, Replicas.awaitConverged(cluster, last).size());

      ClusterStatus status = get(cluster.node("n2").status());
      assertEquals("ratis", status.backend());
      assertTrue(List.of("n1", "n2", "n3").contains(status.leader()), "leader " + status.leader());
      Map<String, String> roles = new TreeMap<>();
      for (MemberStatus m : status.members()) {
        roles.put(m.id(), m.role());
        assertTrue(
            m.commitIndex() >= last && m.appliedIndex() >= last && m.term() >= 1, m.toString());
        assertEquals(cluster.config(m.id()).address(), m.address());
      }
      // The leader may change under a loaded machine; the listener's role may not.
      assertEquals("LISTENER", roles.get("n4"));
      assertTrue(roles.values().stream().filter("LEADER"::equals).count() <= 1, roles.toString());
    }
  }

  @Test
  void theLeaderTakesItsOwnDeltaBatchesInProcessAndFollowersThroughTheClient() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, Map.of())) {
      RatisNode leader = cluster.leader(Replicas.WAIT);
      RatisNode follower = cluster.others(leader).get(0);
      Replicas.registerMap(leader.store());
      long before = leader.answeredInProcess();
      for (int seq = 1; seq <= 5; seq++) {
        get(leader.store().propose(batch("leader#1", seq, put(Replicas.MAP, u32(seq), u32(seq)))));
        get(
            follower
                .store()
                .propose(batch("follower#1", seq, put(Replicas.MAP, u32(100 + seq), u32(seq)))));
      }
      // A batch without origin and sequence number could land twice through the fallback: client.
      long last =
          get(leader.store().propose(batch(put(Replicas.MAP, u32(1000), u32(1))))).revision();
      assertEquals(5, leader.answeredInProcess() - before, "the leader's batches in process");
      assertEquals(0, follower.answeredInProcess(), "a follower's batches in process");
      assertEquals(11, Replicas.awaitConverged(cluster, last).size());
    }
  }
}
