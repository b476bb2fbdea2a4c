package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.MAP;
import static io.mapsync.raft.ratis.Replicas.WAIT;
import static io.mapsync.raft.ratis.Replicas.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.StateStore;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.store.state.KeyLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Netty transport works end to end: writes through a follower, linearizable reads on a follower
 * (Netty cannot ask for a read index, so the barrier goes through the leader), watches.
 *
 * <p>Concurrent proposals meeting a failure: {@link NettyClientDeadlockTest}.
 */
class NettyTransportTest {
  @TempDir Path dir;

  @Test
  void writesReadsAndWatchesWorkThroughAFollower() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 0, Transport.NETTY, Map.of())) {
      RatisNode leader = cluster.leader(WAIT);
      RatisNode follower = cluster.others(leader).get(0);
      StateStore store = follower.store();
      RecordingListener seen = new RecordingListener();
      store.watch(WatchRequest.prefix(KeyLayout.mapPrefix(MAP), 0), seen);
      Replicas.registerMap(store);
      long last = Replicas.write(store, 0, 20, 1);
      MapsSnapshot snap = get(store.readMaps(List.of(MAP)));
      assertTrue(
          snap.revision() >= last, "read at " + snap.revision() + " misses the write at " + last);
      assertEquals(20, snap.entries(MAP).size());
      RecordingListener.await(
          "20 watch events on the follower", WAIT, () -> seen.eventCount() == 20);
      assertEquals(20, Replicas.awaitConverged(cluster, last).size());
    }
  }
}
