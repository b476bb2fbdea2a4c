package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.cluster.ChaosMember;
import io.mapsync.chaos.cluster.Incarnation;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A follower's data dir fills up: a file takes every free byte of its small tmpfs (the scenario's
 * {@code ClusterSettings.withDataDisk}). The agent must stop by itself with exit code 3 and its
 * one-line STORAGE message naming the data dir (docs/operations.md, "Disk full"), while the other
 * two go on as a majority. Healed as an operator would: the file deleted, the agent started again
 * from its own log and snapshot; the final checks then judge that it caught up and lost nothing.
 */
public final class FillDisk implements Fault {
  /** Ratis fails on the next segment's preallocation: a few seconds of traffic, minutes at most. */
  static final Duration STOP_WAIT = Duration.ofSeconds(90);

  private final Targets.Role role;

  public FillDisk(Targets.Role role) {
    this.role = role;
  }

  @Override
  public String name() {
    return "fill-disk-" + Targets.lower(role);
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random)
      throws IOException, InterruptedException {
    String id = Targets.pick(cluster, role, random);
    ChaosMember member = cluster.member(id);
    long filled = cluster.disk(id).fill();
    history.event(name() + ": " + id + "'s data dir filled (" + filled / 1024 + " KiB more)");
    Incarnation stopped = awaitStop(member);
    if (!stopped.stoppedOnRaftFailure()) {
      throw new IOException(
          id
              + " exited with "
              + stopped.exitCode()
              + " on a full disk without its STORAGE line (exit 3 and one line naming the data"
              + " dir); see "
              + member.log());
    }
    history.event(name() + ": " + id + " stopped by itself: " + stopped.raftMemberFailure());
    return () -> {
      cluster.disk(id).free();
      cluster.restart(id);
      history.event(name() + ": space freed; " + id + " restarted from its data dir and ready");
    };
  }

  /** The incarnation that ran on the full disk, once it has exited. */
  private Incarnation awaitStop(ChaosMember member) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    while (member.running()) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            member.id()
                + " still runs "
                + STOP_WAIT.toSeconds()
                + " s after its data dir filled: it neither stopped nor said why; see "
                + member.log());
      }
      Thread.sleep(100);
    }
    List<Incarnation> all = member.incarnations();
    Incarnation last = all.get(all.size() - 1);
    // the exit handler records the code and line just after the process ends
    for (int i = 0; i < 50 && last.ended() == null; i++) {
      Thread.sleep(100);
    }
    return last;
  }
}
