package io.mapsync.raft.ratis;

import static io.mapsync.raft.ratis.Replicas.MAP;
import static io.mapsync.raft.ratis.Replicas.WAIT;
import static io.mapsync.raft.ratis.Replicas.get;
import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.store.contract.RecordingListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A follower applies a lone write as soon as it is committed, not at the next heartbeat. The
 * heartbeat interval is stretched to 30 s here, so "applied within a few seconds" can only come
 * from the commit push; the control shows that without it the follower really waits.
 */
class CommitPushTest extends LocalClusterTest {
  /** Heartbeats every 30 s (half the minimum election timeout); the first election stays quick. */
  private static final Map<String, String> SLOW_HEARTBEATS =
      Map.of(
          "raft.server.rpc.timeout.min", "60s",
          "raft.server.rpc.timeout.max", "90s",
          "raft.server.rpc.first-election.timeout.min", "200ms",
          "raft.server.rpc.first-election.timeout.max", "400ms");

  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  @Test
  void followersApplyALoneWriteWithoutWaitingForAHeartbeat() throws Exception {
    List<RatisNode> followers = startAndWriteOnce(true);
    long revision = lastWrite;
    for (RatisNode f : followers) {
      RecordingListener.await(
          f.config().nodeId() + " applies revision " + revision,
          PROMPTLY,
          () -> f.localState().revision() >= revision);
    }
  }

  @Test
  void withoutThePushAFollowerLearnsOfTheCommitOnlyWithTheNextAppend() throws Exception {
    List<RatisNode> followers = startAndWriteOnce(false);
    Thread.sleep(PROMPTLY.toMillis());
    long behind = followers.stream().filter(f -> f.localState().revision() < lastWrite).count();
    assertTrue(
        behind > 0, "without the push, a follower is expected to wait for the next heartbeat");
    // The next append carries the commit index: one more write brings them up to the first.
    long next =
        get(cluster.leader(WAIT).store().propose(batch(put(MAP, u32(2), u32(2))))).revision();
    for (RatisNode f : followers) {
      RecordingListener.await(
          f.config().nodeId() + " applies revision " + lastWrite,
          PROMPTLY,
          () -> f.localState().revision() >= lastWrite);
    }
    assertFalse(next <= lastWrite);
  }

  private long lastWrite;

  /** Starts 3 members, registers the map, lets everything settle, then commits one write. */
  private List<RatisNode> startAndWriteOnce(boolean push) throws Exception {
    Map<String, String> settings = new java.util.HashMap<>(SLOW_HEARTBEATS);
    settings.put(RatisSettings.COMMIT_PUSH.key(), String.valueOf(push));
    cluster = LocalCluster.start(dir, 3, 0, Transport.GRPC, settings);
    RatisNode leader = cluster.leader(WAIT);
    Replicas.registerMap(leader.store());
    // Settle: one more write so every follower holds the registration (the append carries it).
    long settled = get(leader.store().propose(batch(put(MAP, u32(0), u32(0))))).revision();
    List<RatisNode> followers = cluster.others(leader);
    if (!push) {
      get(leader.store().propose(batch(put(MAP, u32(0), u32(1)))));
    }
    for (RatisNode f : followers) {
      RecordingListener.await(
          f.config().nodeId() + " catches up", WAIT, () -> f.localState().revision() >= settled);
    }
    lastWrite = get(leader.store().propose(batch(put(MAP, u32(1), u32(1))))).revision();
    return followers;
  }
}
