package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.get;
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
}
