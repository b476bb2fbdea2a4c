package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * SIGKILL in the middle of a snapshot transfer. A follower is cut off (both ways) until the
 * leader's log has outgrown it (the scenario snapshots often and keeps no log behind a snapshot);
 * at the heal the leader must send it a snapshot. As soon as the log of the one to kill shows the
 * transfer began — the follower's "receive installSnapshot", or the leader's "send snapshot" — it
 * is SIGKILLed, and then restarted from its data dir. If no transfer begins the fault fails the
 * run: it did not happen. (The line is polled every 20 ms, so the kill lands during the transfer
 * or, for a small state, within a few milliseconds after it.)
 */
public final class KillDuringSnapshot implements Fault {
  static final String FOLLOWER_MARK = "receive installSnapshot";
  static final String LEADER_MARK = "send snapshot";
  static final long WAIT_MS = 30_000;

  private final Targets.Role victim;

  /** @param victim FOLLOWER: the one installing is killed; LEADER: the one sending is */
  public KillDuringSnapshot(Targets.Role victim) {
    this.victim = victim;
  }

  @Override
  public String name() {
    return victim == Targets.Role.FOLLOWER ? "kill-installing-follower" : "kill-sending-leader";
  }

  @Override
  public Injected inject(ChaosCluster cluster, History history, Random random) throws IOException {
    String leader = Targets.pick(cluster, Targets.Role.LEADER, random);
    String follower = Targets.pick(cluster, Targets.Role.FOLLOWER, random);
    List<String> others = cluster.ids().stream().filter(o -> !o.equals(follower)).toList();
    cluster.network().partition(follower, others);
    history.event(name() + ": " + follower + " cut from " + others + " until the leader " + leader
        + "'s log outgrows it");
    return () -> {
      String target = victim == Targets.Role.FOLLOWER ? follower : leader;
      Path log = cluster.member(target).log();
      long from = length(log);
      cluster.network().heal(follower);
      history.event(name() + ": " + follower + " healed; waiting for the snapshot transfer");
      String mark = victim == Targets.Role.FOLLOWER ? FOLLOWER_MARK : LEADER_MARK;
      if (!awaitLine(log, from, mark)) {
        throw new IOException(name() + ": no snapshot transfer began within " + WAIT_MS + " ms of the heal ("
            + "no '" + mark + "' in " + log + "); the cut did not outlast the leader's log");
      }
      cluster.member(target).kill(name());
      history.event(name() + ": SIGKILL " + target + " as its log says '" + mark + "'");
      cluster.restart(target);
      history.event(name() + ": " + target + " restarted from its data dir and ready");
    };
  }

  private static long length(Path log) {
    return log.toFile().length();
  }

  private static boolean awaitLine(Path log, long from, String mark) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    long offset = from;
    StringBuilder tail = new StringBuilder();
    while (System.currentTimeMillis() < deadline) {
      try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
        if (f.length() > offset) {
          byte[] buf = new byte[(int) Math.min(f.length() - offset, 1 << 20)];
          f.seek(offset);
          f.readFully(buf);
          offset += buf.length;
          tail.append(new String(buf, StandardCharsets.UTF_8));
          if (tail.indexOf(mark) >= 0) {
            return true;
          }
          // keep only what may hold the start of a line split by the read
          tail.delete(0, Math.max(0, tail.length() - mark.length()));
        }
      }
      Thread.sleep(20);
    }
    return false;
  }
}
