package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.MAP;
import static io.mapsync.raft.ratis.Replicas.WAIT;
import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.wire.LogEntry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a member hands out completes on mapsync threads, never on a Ratis thread that may hold a
 * Ratis lock: a caller that chains a call back into Ratis must not deadlock the member (chaos bug
 * 6).
 */
class RatisCallbackThreadsTest extends LocalClusterTest {
  @Test
  void barriersAppendsAndAppliedWaitsCompleteOnMapsyncThreads() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, Map.of());
    Replicas.registerMap(cluster.leader(WAIT).store());
    for (RatisNode n : cluster.running().values()) {
      for (int i = 0; i < 10; i++) {
        assertOwnThread(n.config().nodeId() + " members() (read barrier)", n.members());
        LogEntry entry = LogEntry.newBuilder().setDeltas(batch(put(MAP, u32(i), u32(i)))).build();
        assertOwnThread(n.config().nodeId() + " append", n.append(entry));
        long next = n.localState().revision() + 1;
        CompletableFuture<Long> applied = n.awaitApplied(next);
        Replicas.write(n.store(), i, i + 1, 2);
        assertOwnThread(n.config().nodeId() + " awaitApplied", applied);
      }
    }
  }

  /**
   * The thread a dependent of the future runs on: the caller's if it was already done, else the
   * completing one.
   */
  private static void assertOwnThread(String what, CompletableFuture<?> f) throws Exception {
    String caller = Thread.currentThread().getName();
    String ran =
        f.handle((v, t) -> Thread.currentThread().getName())
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(
        ran.equals(caller) || ran.startsWith("mapsync-ratis-"),
        what + " completed on Ratis's thread " + ran);
  }
}
