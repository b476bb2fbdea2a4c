package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.MAP;
import static io.mapsync.raft.ratis.Replicas.WAIT;
import static io.mapsync.raft.ratis.Replicas.get;
import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.delete;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.RevisionEvents;
import io.mapsync.store.StateStore;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.store.state.KeyLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Snapshots by log size, log purging behind them, and members that catch up through a snapshot
 * (thresholds forced small so a few hundred writes cross them several times).
 */
class RatisSnapshotTest extends LocalClusterTest {
  static final Map<String, String> SMALL_SNAPSHOTS =
      Map.of(
          "raft.server.snapshot.auto.trigger.threshold", "40",
          "raft.server.log.purge.preservation.log.num", "0",
          "raft.server.log.purge.gap", "4",
          "raft.server.log.segment.size.max", "8KB",
          "raft.server.log.preallocated.size", "4KB");

  @Test
  void aWipedMemberRejoinsThroughASnapshotAndWatchesBeforeItAreToldCompacted() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, SMALL_SNAPSHOTS);
    RatisNode leader = cluster.leader(WAIT);
    String wiped = cluster.others(leader).get(0).config().nodeId();
    Replicas.registerMap(leader.store());
    Replicas.write(leader.store(), 0, 200, 1);
    cluster.wipe(wiped);
    long last = Replicas.write(leader.store(), 200, 300, 1);
    assertTrue(leader.localState().revision() > 0);
    awaitPurgedPast(leader, 2);

    RatisNode back = cluster.restart(wiped);
    Map<ByteString, ByteString> converged = Replicas.awaitConverged(cluster, last);
    assertEquals(300, converged.size());
    // It was installed from a snapshot, not replayed from index 1: its history starts at the
    // snapshot.
    long installedAt = back.localState().compactRevision();
    assertTrue(installedAt > 1, "history starts at " + installedAt);

    // A watch from before the snapshot is told "compacted"; a resync (read + watch from there) is
    // gapless.
    RecordingListener old = new RecordingListener();
    back.store().watch(WatchRequest.prefix(KeyLayout.MAPS_PREFIX, 1), old);
    RecordingListener.await("compacted", WAIT, () -> old.compacted.get() >= 0);
    assertTrue(old.revisions.isEmpty());
    MapsSnapshot snap = get(back.store().readMaps(List.of(MAP)));
    assertEquals(300, snap.entries(MAP).size());
    RecordingListener tail = new RecordingListener();
    try (Watch w =
        back.store().watch(WatchRequest.prefix(KeyLayout.MAPS_PREFIX, snap.revision() + 1), tail)) {
      long next = Replicas.write(leader.store(), 300, 301, 1);
      RecordingListener.await("the write after the resync", WAIT, () -> !tail.revisions.isEmpty());
      assertEquals(List.of(next), tail.revisions.stream().map(RevisionEvents::revision).toList());
      assertEquals(-1, tail.compacted.get());
    }
  }

  @Test
  void aLaggingMemberIsReplacedByTheSnapshotSoDeletedKeysDoNotSurvive() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, SMALL_SNAPSHOTS);
    RatisNode leader = cluster.leader(WAIT);
    String lagging = cluster.others(leader).get(0).config().nodeId();
    StateStore store = leader.store();
    Replicas.registerMap(store);
    long before = Replicas.write(store, 0, 100, 1);
    assertEquals(100, Replicas.awaitConverged(cluster, before).size());
    cluster.stop(lagging);
    // While it is away: delete the even keys, change the odd ones, and write past its log.
    long last = 0;
    for (int i = 0; i < 100; i++) {
      last =
          get(store.propose(
                  batch(i % 2 == 0 ? delete(MAP, u32(i)) : put(MAP, u32(i), u32(i * 10 + 2)))))
              .revision();
    }
    awaitPurgedPast(leader, before + 1);

    RatisNode back = cluster.restart(lagging);
    Map<ByteString, ByteString> converged = Replicas.awaitConverged(cluster, last);
    assertTrue(
        back.localState().compactRevision() > before,
        "caught up from the log, not from a snapshot");
    assertEquals(50, converged.size());
    assertFalse(converged.containsKey(u32(0)), "a deleted key survived the snapshot install");
    assertEquals(u32(12), converged.get(u32(1)));
  }

  @Test
  void aMemberRestartsFromItsSnapshotAndLogTail() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, SMALL_SNAPSHOTS);
    RatisNode leader = cluster.leader(WAIT);
    Replicas.registerMap(leader.store());
    long last = Replicas.write(leader.store(), 0, 130, 1);
    Replicas.awaitConverged(cluster, last);
    List<String> ids = List.copyOf(cluster.running().keySet());
    cluster.close();
    for (String id : ids) {
      assertTrue(snapshotCount(cluster.config(id).dataDir()) >= 1, id + " has no snapshot file");
      assertTrue(
          snapshotCount(cluster.config(id).dataDir()) <= 2, id + " keeps more than two snapshots");
    }
    for (String id : ids) {
      cluster.restart(id);
    }
    Map<ByteString, ByteString> converged = Replicas.awaitConverged(cluster, last);
    assertEquals(130, converged.size());
    long more = Replicas.write(cluster.leader(WAIT).store(), 130, 140, 1);
    assertEquals(140, Replicas.awaitConverged(cluster, more).size());
  }

  /**
   * Waits until the leader's log starts after the index, so a member behind it needs a snapshot.
   */
  private static void awaitPurgedPast(RatisNode leader, long index) {
    RecordingListener.await(
        "log purged past " + index,
        WAIT,
        () -> {
          try {
            return firstLogIndex(leader) > index;
          } catch (IOException e) {
            return false;
          }
        });
  }

  private static long firstLogIndex(RatisNode node) throws IOException {
    Path current =
        node.config()
            .dataDir()
            .resolve("ratis")
            .resolve(RatisNode.groupIdOf(node.config().clusterName()).getUuid().toString())
            .resolve("current");
    try (Stream<Path> files = Files.list(current)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("log_"))
          .mapToLong(
              n ->
                  Long.parseLong(
                      n.replace("log_inprogress_", "").replace("log_", "").split("-")[0]))
          .min()
          .orElse(0);
    }
  }

  private static long snapshotCount(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("snapshot\\.\\d+_\\d+"))
          .count();
    }
  }
}
