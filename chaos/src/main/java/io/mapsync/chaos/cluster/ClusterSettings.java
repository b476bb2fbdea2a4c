package io.mapsync.chaos.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the lab's agents are configured. The defaults make the rare paths common: a snapshot every
 * few hundred entries and almost no log kept behind it, so a member that falls behind (partition,
 * pause, wipe) catches up through a snapshot install rather than the log.
 *
 * @param members how many voters
 * @param capture the capture tier of the replicated map (auto, syscall, scan)
 * @param antiEntropy the agents' anti-entropy interval; zero turns the safety net off, so a
 *     divergence the sync protocol leaves behind is seen instead of repaired
 * @param raftProperties Ratis settings for every member (store.raft_properties)
 * @param dataDisk the size of a tmpfs mounted on each member's data dir (e.g. "16m"), so a fault
 *     can fill it; empty: the data dirs are plain directories of the run's dir
 * @param fakeClock the member whose wall clock libfaketime moves, if any
 * @param tls mutual TLS on the Raft and client ports, with a CA made for the run: every member and
 *     every lab client (writers, readers, watchers, the probe) has its own certificate
 */
public record ClusterSettings(
    int members,
    String capture,
    Duration antiEntropy,
    Map<String, String> raftProperties,
    String dataDisk,
    FakeClock fakeClock,
    boolean tls) {
  /**
   * The replicated map: 8-byte keys, 16-byte values (room for a writer id and an operation number).
   */
  public static final String MAP = "chaos";

  public static final int KEY_SIZE = 8;
  public static final int VALUE_SIZE = 16;
  public static final int MAX_ENTRIES = 65536;
  static final int PEER_PORT = 7001;
  static final int CLIENT_PORT = 2379;
  static final int METRICS_PORT = 9101;

  public ClusterSettings {
    raftProperties = Map.copyOf(raftProperties);
  }

  /** Three voters, capture auto, anti-entropy off, snapshots every 300 entries. */
  public static ClusterSettings defaults() {
    return new ClusterSettings(
        3, "auto", Duration.ZERO, snapshotOften(300), "", FakeClock.NONE, false);
  }

  /**
   * Ratis settings that snapshot every {@code entries} entries and purge the log right up to it.
   * Election timeouts are raised from Ratis's 150-300 ms: the lab's JVMs share two cores with other
   * builds, and with the defaults a CPU-starved member loses leadership every few seconds, which
   * tests the scheduler rather than mapsync.
   */
  public static Map<String, String> snapshotOften(int entries) {
    return snapshotOften(entries, "64KB");
  }

  /** The same with log segments of the given size (the unit of purging). */
  public static Map<String, String> snapshotOften(int entries, String segmentSize) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("raft.server.rpc.timeout.min", "1s");
    p.put("raft.server.rpc.timeout.max", "2s");
    p.put("raft.server.snapshot.auto.trigger.threshold", Integer.toString(entries));
    p.put("raft.server.log.purge.preservation.log.num", "0");
    // Purging works on closed segments: small segments let the log shrink right behind a snapshot.
    p.put("raft.server.log.segment.size.max", segmentSize);
    return p;
  }

  public ClusterSettings withAntiEntropy(Duration interval) {
    return new ClusterSettings(
        members, capture, interval, raftProperties, dataDisk, fakeClock, tls);
  }

  public ClusterSettings withCapture(String tier) {
    return new ClusterSettings(
        members, tier, antiEntropy, raftProperties, dataDisk, fakeClock, tls);
  }

  public ClusterSettings withRaftProperties(Map<String, String> properties) {
    return new ClusterSettings(members, capture, antiEntropy, properties, dataDisk, fakeClock, tls);
  }

  public ClusterSettings withMembers(int n) {
    return new ClusterSettings(n, capture, antiEntropy, raftProperties, dataDisk, fakeClock, tls);
  }

  /** Mutual TLS on every port of the lab (see {@link #tls}). */
  public ClusterSettings withTls(boolean on) {
    return new ClusterSettings(
        members, capture, antiEntropy, raftProperties, dataDisk, fakeClock, on);
  }

  /** Each member's data dir on a tmpfs of that size (e.g. "16m"), for the disk-full fault. */
  public ClusterSettings withDataDisk(String size) {
    return new ClusterSettings(members, capture, antiEntropy, raftProperties, size, fakeClock, tls);
  }

  /** One member's wall clock at an offset and rate ("+1h x2") from its first start. */
  public ClusterSettings withFakeClock(String member, String start) {
    return new ClusterSettings(
        members, capture, antiEntropy, raftProperties, dataDisk, new FakeClock(member, start), tls);
  }
}
