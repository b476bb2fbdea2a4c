package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.MAP;
import static io.mapsync.raft.ratis.Replicas.WAIT;
import static io.mapsync.raft.ratis.Replicas.get;
import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.store.StoreException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Chaos bug 4: Ratis closes a member's division when its log worker fails, and the process runs on.
 * The member must notice, refuse work, and tell whoever runs it once, so it is restarted.
 */
class RatisMemberFailureTest extends LocalClusterTest {
  @Test
  void aMemberWhoseRaftDivisionDiesReportsItOnceAndRestartsFromDisk() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, Map.of());
    RatisNode leader = cluster.leader(WAIT);
    Replicas.registerMap(leader.store());
    Replicas.write(leader.store(), 0, 10, 1);
    RatisNode failing = cluster.others(leader).get(0);
    RatisNode closedOnPurpose = cluster.others(leader).get(1);
    String id = failing.config().nodeId();
    AtomicInteger reports = new AtomicInteger();
    CompletableFuture<StoreException> reported = new CompletableFuture<>();
    failing.onMemberFailure(
        e -> {
          reports.incrementAndGet();
          reported.complete(e);
        });
    AtomicInteger falseAlarms = new AtomicInteger();
    closedOnPurpose.onMemberFailure(e -> falseAlarms.incrementAndGet());

    failing.division().close(); // what SegmentedRaftLogWorker does when it hits an exception
    StoreException e = reported.get(10, TimeUnit.SECONDS);
    assertEquals(StoreException.Reason.CLOSED, e.reason());
    String message = e.getMessage();
    assertTrue(message.contains(id + ": the Raft member failed"), message);
    assertTrue(message.contains("data dir " + failing.config().dataDir()), message);
    assertTrue(message.contains("restarting it resumes from the data on disk"), message);
    StoreException refused =
        assertThrows(
            StoreException.class,
            () -> get(failing.store().propose(batch(put(MAP, u32(99), u32(99))))));
    assertEquals(message, refused.getMessage(), "work is refused with the same reason");
    // a member closed on purpose is no failure
    cluster.stop(closedOnPurpose.config().nodeId());
    Thread.sleep(1500);
    assertEquals(1, reports.get(), "reported once");
    assertEquals(0, falseAlarms.get(), "a member closed on purpose reported a failure");

    cluster.stop(id);
    cluster.restart(id);
    cluster.restart(closedOnPurpose.config().nodeId());
    long last = Replicas.write(cluster.leader(WAIT).store(), 10, 20, 1);
    assertEquals(20, Replicas.awaitConverged(cluster, last).size());
  }
}
