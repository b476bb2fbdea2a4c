package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.MAP;
import static io.mapsync.raft.ratis.Replicas.WAIT;
import static io.mapsync.raft.ratis.Replicas.get;
import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.store.Commit;
import io.mapsync.store.KeyRanges;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.KvRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Leader loss under load, restarts from disk, and what an acknowledged write survives. */
class RatisFailoverTest extends LocalClusterTest {
  @Test
  void killingTheLeaderUnderLoadLosesNoAcknowledgedBatchAndAppliesRetriesOnce() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, Map.of());
    Map<String, Boolean> becameLeader = new ConcurrentHashMap<>();
    cluster
        .running()
        .forEach(
            (id, n) -> n.onLeadershipChange(is -> becameLeader.merge(id, is, Boolean::logicalOr)));
    Replicas.registerMap(cluster.leader(WAIT).store());

    // A writer on every member; each retries a failed batch with the same (origin, seq), so the
    // state's per-origin dedup must apply it once. A writer whose own member is stopped just ends.
    AtomicBoolean running = new AtomicBoolean(true);
    Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    List<Thread> writers = new ArrayList<>();
    int w = 0;
    for (RatisNode n : cluster.running().values()) {
      writers.add(writer(n, w++ * 1_000_000, running, acknowledged, unexpected));
    }
    writers.forEach(Thread::start);
    RecordingListener.await("some batches before the kill", WAIT, () -> acknowledged.size() >= 100);

    RatisNode oldLeader = cluster.leader(WAIT);
    becameLeader.clear();
    cluster.stop(oldLeader.config().nodeId());
    int atKill = acknowledged.size();
    RatisNode newLeader = cluster.leader(WAIT);
    assertNotSame(oldLeader, newLeader);
    RecordingListener.await(
        "writes continue under the new leader", WAIT, () -> acknowledged.size() >= atKill + 100);
    running.set(false);
    for (Thread t : writers) {
      t.join(WAIT.toMillis());
    }
    assertTrue(unexpected.isEmpty(), "writers failed: " + unexpected);
    RecordingListener.await(
        "the new leader told its leadership listener",
        WAIT,
        () -> becameLeader.getOrDefault(newLeader.config().nodeId(), false));

    cluster.restart(oldLeader.config().nodeId());
    long last = acknowledged.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    Map<ByteString, ByteString> converged = Replicas.awaitConverged(cluster, last);
    for (int key : acknowledged.keySet()) {
      assertEquals(u32(key), converged.get(u32(key)), "acknowledged key " + key);
    }
    // A retried batch that had been applied before must not be applied again: every key has version
    // 1.
    ByteString prefix = KeyLayout.mapPrefix(MAP);
    for (RatisNode n : cluster.running().values()) {
      for (KeyValue kv :
          n.localState()
              .range(
                  KvRange.newBuilder()
                      .setKey(prefix)
                      .setRangeEnd(KeyRanges.prefixEnd(prefix))
                      .build())
              .getKvsList()) {
        assertEquals(
            1, kv.getVersion(), "applied more than once on " + n.config().nodeId() + ": " + kv);
      }
    }
  }

  private Thread writer(
      RatisNode node,
      int firstKey,
      AtomicBoolean running,
      Map<Integer, Long> acknowledged,
      ConcurrentLinkedQueue<Throwable> unexpected) {
    String origin = node.config().nodeId() + "#1";
    StateStore store = node.store();
    return new Thread(
        () -> {
          for (int seq = 1; running.get(); seq++) {
            int key = firstKey + seq;
            for (boolean done = false; !done; ) {
              try {
                Commit c = get(store.propose(batch(origin, seq, put(MAP, u32(key), u32(key)))));
                acknowledged.put(key, c.revision());
                done = true;
              } catch (StoreException e) {
                if (e.reason() == StoreException.Reason.CLOSED
                    && !cluster.running().containsKey(node.config().nodeId())) {
                  return;
                }
                if (!e.retriable()) {
                  unexpected.add(e);
                  return;
                }
              } catch (Exception e) {
                unexpected.add(e);
                return;
              }
            }
          }
        },
        "writer-" + origin);
  }

  /**
   * Chaos bug 5: once a request gave up (no majority for the request timeout), Ratis closed the
   * client's request window for good and every later write through that member failed as CLOSED.
   */
  @Test
  void aStoreWritesAgainAfterItsRequestsGaveUp() throws Exception {
    cluster =
        LocalCluster.start(dir, 3, 0, Transport.GRPC, Map.of("mapsync.request.timeout", "2s"));
    Replicas.registerMap(cluster.leader(WAIT).store());
    StateStore store = cluster.node("n1").store();
    Replicas.write(store, 0, 5, 1);
    cluster.stop("n2");
    cluster.stop("n3");
    // Several in flight: the first gives up, the ones behind it are failed with the closed window.
    List<CompletableFuture<Commit>> inFlight = new ArrayList<>();
    for (int i = 5; i < 10; i++) {
      inFlight.add(store.propose(batch(put(MAP, u32(i), u32(i)))));
    }
    for (CompletableFuture<Commit> f : inFlight) {
      StoreException e = assertThrows(StoreException.class, () -> get(f));
      assertTrue(e.retriable(), "a write that gave up must be retriable: " + e.getMessage());
    }
    cluster.restart("n2");
    cluster.restart("n3");
    cluster.leader(WAIT);
    long last = Replicas.write(store, 10, 20, 1);
    Map<ByteString, ByteString> map = Replicas.awaitConverged(cluster, last);
    for (int i = 10; i < 20; i++) {
      assertEquals(
          u32(i * 10 + 1), map.get(u32(i)), "key " + i + " written through n1 after the outage");
    }
  }

  @Test
  void aStoppedFollowerRestartsFromItsDirectoryAndCatchesUp() throws Exception {
    // Commit push is the default; named here so this test keeps exercising it if the default
    // changes.
    cluster =
        LocalCluster.start(
            dir, 3, 0, Transport.GRPC, Map.of(RatisSettings.COMMIT_PUSH.key(), "true"));
    RatisNode leader = cluster.leader(WAIT);
    String follower = cluster.others(leader).get(0).config().nodeId();
    Replicas.registerMap(leader.store());
    Replicas.write(leader.store(), 0, 50, 1);
    cluster.stop(follower);
    long last = Replicas.write(leader.store(), 50, 100, 1);

    RatisNode back = cluster.restart(follower);
    // It resumed from its own directory (the snapshot Ratis takes on stop), before hearing from the
    // leader.
    assertTrue(
        Replicas.local(back).size() >= 50,
        "restarted with " + Replicas.local(back).size() + " keys");
    Map<ByteString, ByteString> converged = Replicas.awaitConverged(cluster, last);
    assertEquals(100, converged.size());
  }
}
