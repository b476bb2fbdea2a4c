package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.MAP;
import static io.mapsync.raft.ratis.Replicas.WAIT;
import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.fail;

import io.mapsync.store.Commit;
import io.mapsync.store.StateStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Ratis 3.3.0's Netty client deadlock (docs/ratis.md): a burst of proposals through a follower on
 * the Netty transport meets the leader's stop, so the client's connection fails with many requests
 * outstanding. Every proposal must end (committed or failed as retriable) instead of hanging.
 */
class NettyClientDeadlockTest extends LocalClusterTest {
  private static final int BURST = 200;
  private static final int ROUNDS = 3;

  @Test
  void aBurstThatMeetsALeaderStopEndsOnNetty() throws Exception {
    cluster = LocalCluster.start(dir, 3, 0, Transport.NETTY, Map.of());
    Replicas.registerMap(cluster.leader(WAIT).store());
    int key = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      RatisNode leader = cluster.leader(WAIT);
      RatisNode proposer = cluster.others(leader).get(0);
      StateStore store = proposer.store();
      AtomicInteger committed = new AtomicInteger();
      List<CompletableFuture<Commit>> burst = new ArrayList<>();
      for (int i = 0; i < BURST; i++, key++) {
        CompletableFuture<Commit> f = store.propose(batch(put(MAP, u32(key), u32(key))));
        f.thenRun(committed::incrementAndGet);
        burst.add(f);
        if (i == BURST / 4) {
          cluster.stop(leader.config().nodeId());
        }
      }
      try {
        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new))
            .exceptionally(e -> null)
            .get(2 * WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        long open = burst.stream().filter(f -> !f.isDone()).count();
        fail(
            "round "
                + round
                + ": "
                + open
                + " of "
                + BURST
                + " proposals never ended ("
                + committed.get()
                + " committed); Ratis threads:\n"
                + ratisThreads());
      }
      cluster.restart(leader.config().nodeId());
    }
  }

  private static String ratisThreads() {
    StringBuilder out = new StringBuilder();
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, false)) {
      String stack = List.of(t.getStackTrace()).toString();
      if (stack.contains("org.apache.ratis")) {
        out.append(t.getThreadName()).append(' ').append(t.getThreadState());
        if (t.getLockName() != null) {
          out.append(" on ")
              .append(t.getLockName())
              .append(" held by ")
              .append(t.getLockOwnerName());
        }
        out.append('\n');
        for (StackTraceElement e : t.getStackTrace()) {
          out.append("    ").append(e).append('\n');
        }
      }
    }
    return out.toString();
  }
}
