package io.mapsync.chaos.fault;

import io.mapsync.chaos.cluster.ChaosCluster;
import io.mapsync.chaos.cluster.RaftFiles;
import io.mapsync.chaos.history.History;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * SIGKILL in the middle of a snapshot transfer. A follower is cut off (both ways) until the
 * leader's log has outgrown it: the hold, and then as long as it takes (up to 2 min) for the leader
 * to purge the segment it was writing at the cut (the scenario snapshots often and keeps no log
 * behind a snapshot); at the heal the leader must send it a snapshot. As soon as the log of the one
 * to kill shows the transfer began — the follower's "receive installSnapshot", or the leader's
 * "send snapshot" — it is SIGKILLed, and then restarted from its data dir. If no transfer begins
 * the fault fails the run: it did not happen. (The line is polled every 20 ms, so the kill lands
 * during the transfer or, for a small state, within a few milliseconds after it.)
 */
public final class KillDuringSnapshot implements Fault {
  static final String FOLLOWER_MARK = "receive installSnapshot";
  static final String LEADER_MARK = "send snapshot";
  static final long WAIT_MS = 30_000;
  static final long PURGE_WAIT_MS = 120_000;
  private static final Pattern SEGMENT = Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?");

  private final Targets.Role victim;

  /**
   * @param victim FOLLOWER: the one installing is killed; LEADER: the one sending is
   */
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
    // the segment being written now holds the follower's last entry: once the leader purged it,
    // only a snapshot helps
    long openAtCut = openSegmentStart(cluster.dataDir(leader));
    cluster.network().partition(follower, others);
    history.event(
        name()
            + ": "
            + follower
            + " cut from "
            + others
            + " until the leader "
            + leader
            + "'s log outgrows it (its open segment starts at "
            + openAtCut
            + ")");
    return () -> {
      awaitPurgedPast(cluster.dataDir(leader), openAtCut);
      history.event(name() + ": the leader " + leader + "'s log now starts past " + openAtCut);
      String target = victim == Targets.Role.FOLLOWER ? follower : leader;
      Path log = cluster.member(target).log();
      long from = length(log);
      cluster.network().heal(follower);
      history.event(name() + ": " + follower + " healed; waiting for the snapshot transfer");
      String mark = victim == Targets.Role.FOLLOWER ? FOLLOWER_MARK : LEADER_MARK;
      if (!awaitLine(log, from, mark)) {
        throw new IOException(
            name()
                + ": no snapshot transfer began within "
                + WAIT_MS
                + " ms of the heal ("
                + "no '"
                + mark
                + "' in "
                + log
                + "); the cut did not outlast the leader's log");
      }
      cluster.member(target).kill(name());
      history.event(name() + ": SIGKILL " + target + " as its log says '" + mark + "'");
      cluster.restart(target);
      history.event(name() + ": " + target + " restarted from its data dir and ready");
    };
  }

  /**
   * Holds the cut (traffic runs on) until the leader's first log index is past {@code index}; a
   * slow machine writes slowly.
   */
  private void awaitPurgedPast(Path leaderDir, long index)
      throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + PURGE_WAIT_MS;
    while (RaftFiles.of(leaderDir).firstLogIndex() <= index) {
      if (System.currentTimeMillis() > deadline) {
        throw new IOException(
            name()
                + ": the leader's log ("
                + leaderDir
                + ") still starts at or before "
                + index
                + " "
                + PURGE_WAIT_MS
                + " ms after the cut; no snapshot would be needed");
      }
      Thread.sleep(200);
    }
  }

  /**
   * The first index of the segment being written, or of the last closed one if none is open (0: no
   * log yet).
   */
  private static long openSegmentStart(Path dataDir) throws IOException {
    Path ratis = dataDir.resolve("ratis");
    if (!Files.isDirectory(ratis)) {
      return 0;
    }
    long start = 0;
    try (Stream<Path> files = Files.walk(ratis)) {
      for (Path p : files.toList()) {
        Matcher m = SEGMENT.matcher(p.getFileName().toString());
        if (m.matches()) {
          start = Math.max(start, Long.parseLong(m.group(1)));
        }
      }
    }
    return start;
  }

  private static long length(Path log) {
    return log.toFile().length();
  }

  private static boolean awaitLine(Path log, long from, String mark)
      throws IOException, InterruptedException {
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
