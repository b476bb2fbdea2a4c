package io.mapsync.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything one agent needs, as read from mapsync.yaml and the command line. The reference page is
 * docs/configuration.md.
 *
 * @param clusterName names the cluster: members must agree on it (it names the Raft group and the
 *     etcd cluster id)
 * @param id this node's name (n1); also its Raft peer id
 * @param dataDir where the log, snapshots and the node marker live
 * @param peers every voter's name -> host:port for Raft traffic (empty with the etcd backend)
 * @param listeners names of members that join as listeners (receive the log, never vote)
 * @param join start without forming the group: wait to be added by `mapsync members add`
 * @param clientAddress host:port of the etcd v3 API this node serves (empty: none)
 * @param metricsAddress host:port of the Prometheus endpoint (empty: none)
 * @param store which log backend to use and its settings
 * @param batching how captured changes are grouped into log entries
 * @param antiEntropyInterval how often local maps are compared with the store (0: never)
 * @param maps the maps to replicate
 * @param emitPinRoot where network functions built with mapsync_emit.h pin mapsync_ring and
 *     mapsync_state (read by maps with capture: emit)
 * @param tls mutual TLS for Raft peers, the etcd API and the etcd backend's client; null: plain
 *     text
 */
public record AgentConfig(
    String clusterName,
    String id,
    Path dataDir,
    Map<String, String> peers,
    List<String> listeners,
    boolean join,
    String clientAddress,
    String metricsAddress,
    StoreConfig store,
    Batching batching,
    Duration antiEntropyInterval,
    List<MapConfig> maps,
    Path emitPinRoot,
    Tls tls) {

  /** A plain-text agent (no tls: block). */
  public AgentConfig(
      String clusterName,
      String id,
      Path dataDir,
      Map<String, String> peers,
      List<String> listeners,
      boolean join,
      String clientAddress,
      String metricsAddress,
      StoreConfig store,
      Batching batching,
      Duration antiEntropyInterval,
      List<MapConfig> maps,
      Path emitPinRoot) {
    this(
        clusterName,
        id,
        dataDir,
        peers,
        listeners,
        join,
        clientAddress,
        metricsAddress,
        store,
        batching,
        antiEntropyInterval,
        maps,
        emitPinRoot,
        null);
  }

  /** The same agent with TLS from these files. */
  public AgentConfig withTls(Tls t) {
    return new AgentConfig(
        clusterName,
        id,
        dataDir,
        peers,
        listeners,
        join,
        clientAddress,
        metricsAddress,
        store,
        batching,
        antiEntropyInterval,
        maps,
        emitPinRoot,
        t);
  }

  /**
   * @param files CA, certificate and key (PEM)
   * @param reloadInterval how often the files are checked for a change (0: never)
   * @param readOnlyClients client certificate common names the etcd API lets read but not write
   */
  public record Tls(
      io.mapsync.tls.TlsFiles files,
      Duration reloadInterval,
      java.util.Set<String> readOnlyClients) {
    public Tls {
      readOnlyClients = java.util.Set.copyOf(readOnlyClients);
    }

    /** Every client with a certificate from the CA may write. */
    public Tls(io.mapsync.tls.TlsFiles files, Duration reloadInterval) {
      this(files, reloadInterval, java.util.Set.of());
    }
  }

  /**
   * libbpf's default pin root, where mapsync_emit.h's ring is pinned unless the object says
   * otherwise.
   */
  public static final Path DEFAULT_EMIT_PIN_ROOT = Path.of("/sys/fs/bpf");

  /** Which backend holds the log. */
  public enum Backend {
    RATIS,
    ETCD
  }

  /**
   * @param backend ratis (embedded, the default) or etcd (an existing etcd cluster)
   * @param etcdEndpoints the etcd cluster's client URLs
   * @param etcdPrefix a key prefix so several mapsync clusters can share one etcd
   * @param raftProperties Ratis settings to override (advanced; see docs/ratis.md)
   * @param groups further Raft groups on the same members (embedded store only); maps name theirs
   */
  public record StoreConfig(
      Backend backend,
      List<String> etcdEndpoints,
      String etcdPrefix,
      Map<String, String> raftProperties,
      List<Group> groups) {
    public StoreConfig {
      groups = List.copyOf(groups == null ? List.of() : groups);
    }

    /** A store with the default group only. */
    public StoreConfig(
        Backend backend,
        List<String> etcdEndpoints,
        String etcdPrefix,
        Map<String, String> raftProperties) {
      this(backend, etcdEndpoints, etcdPrefix, raftProperties, List.of());
    }
  }

  /**
   * A further Raft group hosted by the same members (multi-raft).
   *
   * @param name what maps name in {@code group:}
   * @param members its voters, a subset of the peers' voters; the other peers follow it as
   *     listeners
   */
  public record Group(String name, List<String> members) {
    public Group {
      members = List.copyOf(members);
    }
  }

  /**
   * @param maxDeltas the most deltas in one log entry
   * @param linger how long the first captured change waits for others
   * @param captureSpin how long the capture thread keeps polling the rings after a change before it
   *     sleeps (and is woken by the next one)
   */
  public record Batching(int maxDeltas, Duration linger, Duration captureSpin) {
    /**
     * Short: a spinning capture thread saves a wake-up (tens of microseconds) per change but burns
     * a core while changes trickle in, which on a small host starves the Raft threads that make up
     * most of the propagation time (measured: 250 us of spin cost a tenth of a core more on the
     * capturing host at 1k changes/s).
     */
    public static final Duration DEFAULT_CAPTURE_SPIN = Duration.ofNanos(20_000);

    /** Batching with the default capture spin. */
    public Batching(int maxDeltas, Duration linger) {
      this(maxDeltas, linger, DEFAULT_CAPTURE_SPIN);
    }
  }
}
