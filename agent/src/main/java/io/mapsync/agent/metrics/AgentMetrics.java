package io.mapsync.agent.metrics;

import io.mapsync.agent.sync.SyncMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The agent's Prometheus metrics: what the sync loop counts per map, its latencies, and the store's
 * view (leader, term, indexes, lag). Names follow Prometheus conventions (mapsync_ prefix, _total
 * for counters, _seconds for durations).
 */
public final class AgentMetrics implements SyncMetrics {
  private static final double[] LATENCY_BUCKETS = {
    0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1, 2.5
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter captured =
      counter("mapsync_captured_total", "Changes captured from local maps", "map");
  private final Counter dropped =
      counter("mapsync_dropped_total", "Captured changes not proposed", "map", "reason");
  private final Counter proposed =
      counter("mapsync_proposed_deltas_total", "Deltas proposed to the log");
  private final Counter committed =
      counter("mapsync_committed_deltas_total", "Own deltas committed");
  private final Counter proposeFailures =
      counter("mapsync_propose_failures_total", "Failed proposals", "reason");
  private final Counter rejected =
      counter(
          "mapsync_rejected_total", "Deltas refused by the store or a local map", "map", "reason");
  private final Counter applied =
      counter("mapsync_applied_total", "Remote deltas applied to local maps", "map");
  private final Counter superseded =
      counter(
          "mapsync_superseded_total",
          "Remote deltas skipped because a newer local write was pending",
          "map");
  // No map label: the names come from whoever writes the log, so they would be unbounded.
  private final Counter unmanaged =
      counter(
          "mapsync_unmanaged_deltas_total",
          "Deltas in the log for maps this agent does not manage, not applied");
  private final Counter repaired =
      counter("mapsync_repaired_total", "Keys repaired by anti-entropy", "map");
  private final Counter bootstrapBatched =
      counter(
          "mapsync_bootstrap_batched_entries_total",
          "Entries bootstrap installed through batch map writes (BPF_MAP_UPDATE_BATCH)",
          "map");
  private final Counter bootstrapRefused =
      counter(
          "mapsync_bootstrap_batches_refused_total",
          "Bootstrap batches the kernel refused (their entries were then written one by one)",
          "map");
  private final Counter captureResyncs =
      counter(
          "mapsync_capture_resyncs_total",
          "Times capture lost records of a map (full ring buffer) and rescanned it",
          "map");
  private final Histogram commitLatency =
      Histogram.builder()
          .name("mapsync_commit_latency_seconds")
          .help("Propose to commit of one batch")
          .classicUpperBounds(LATENCY_BUCKETS)
          .register(registry);
  private final Histogram propagation =
      Histogram.builder()
          .name("mapsync_propagation_latency_seconds")
          .help("Capture on the origin host to apply here (wall clocks)")
          .classicUpperBounds(LATENCY_BUCKETS)
          .register(registry);
  private final Gauge appliedRevision =
      gauge("mapsync_applied_revision", "Last log revision applied to local maps");
  private final Gauge pending =
      gauge("mapsync_pending_writes", "Local writes captured but not yet settled");
  private final Gauge ready = gauge("mapsync_ready", "1 once bootstrap is done and capture runs");
  final Gauge leader = gauge("mapsync_is_leader", "1 if this node leads the Raft group");
  final Gauge term = gauge("mapsync_raft_term", "Current Raft term");
  final Gauge commitIndex = gauge("mapsync_commit_index", "This member's commit index");
  final Gauge storeApplied =
      gauge("mapsync_store_applied_index", "This member's applied log index");
  final Gauge snapshotIndex =
      gauge("mapsync_snapshot_index", "Log index of this member's latest snapshot");
  final Gauge lag =
      gauge("mapsync_apply_lag_revisions", "Store commit index minus revision applied to maps");
  private final Gauge bootstrapEntries =
      Gauge.builder()
          .name("mapsync_bootstrap_entries")
          .help("Store entries the current or last bootstrap of a map has installed or found equal")
          .labelNames("map")
          .register(registry);
  private final Gauge bootstrapTotal =
      Gauge.builder()
          .name("mapsync_bootstrap_entries_expected")
          .help("Store entries the current or last bootstrap of a map installs")
          .labelNames("map")
          .register(registry);
  final Gauge mapEntries =
      Gauge.builder()
          .name("mapsync_map_entries")
          .help("Entries in the store per map")
          .labelNames("map")
          .register(registry);

  public PrometheusRegistry registry() {
    return registry;
  }

  private Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  private Gauge gauge(String name, String help) {
    return Gauge.builder().name(name).help(help).register(registry);
  }

  @Override
  public void captured(String map) {
    captured.labelValues(map).inc();
  }

  @Override
  public void dropped(String map, String reason) {
    dropped.labelValues(map, reason).inc();
  }

  @Override
  public void proposed(int deltas) {
    proposed.inc(deltas);
  }

  @Override
  public void committed(int deltas, long commitNanos) {
    committed.inc(deltas);
    commitLatency.observe(commitNanos / 1e9);
  }

  @Override
  public void proposeFailed(String reason) {
    proposeFailures.labelValues(reason).inc();
  }

  @Override
  public void rejected(String map, String reason) {
    rejected.labelValues(map, reason).inc();
  }

  @Override
  public void applied(String map, int deltas) {
    applied.labelValues(map).inc(deltas);
  }

  @Override
  public void unmanaged() {
    unmanaged.inc();
  }

  @Override
  public void superseded(String map) {
    superseded.labelValues(map).inc();
  }

  @Override
  public void propagated(long nanos) {
    propagation.observe(Math.max(0, nanos) / 1e9);
  }

  @Override
  public void appliedRevision(long revision) {
    appliedRevision.set(revision);
  }

  @Override
  public void pending(int size) {
    pending.set(size);
  }

  @Override
  public void bootstrapProgress(String map, long done, long total) {
    bootstrapTotal.labelValues(map).set(total);
    bootstrapEntries.labelValues(map).set(done);
  }

  @Override
  public void bootstrapBatch(String map, int entries) {
    bootstrapBatched.labelValues(map).inc(entries);
  }

  @Override
  public void bootstrapBatchRefused(String map) {
    bootstrapRefused.labelValues(map).inc();
  }

  @Override
  public void repaired(String map, int keys) {
    repaired.labelValues(map).inc(keys);
  }

  /** A lost-records rescan of a map's capture (the capture drops the dashboard shows). */
  public void captureResync(String map) {
    captureResyncs.labelValues(map).inc();
  }

  /**
   * Creates a map's series at 0, so a dashboard shows them and an alert on increase() fires on the
   * first event instead of the series appearing with it.
   */
  public void initMap(String map) {
    for (Counter c :
        new Counter[] {
          captured,
          applied,
          superseded,
          repaired,
          captureResyncs,
          bootstrapBatched,
          bootstrapRefused
        }) {
      c.labelValues(map);
    }
    dropped.labelValues(map, "not_replicated");
    dropped.labelValues(map, "eviction_kept_local");
    for (var kind : io.mapsync.agent.sync.LocalWriteException.Kind.values()) {
      rejected.labelValues(map, kind.name());
    }
    for (var reason : io.mapsync.store.StoreException.Reason.values()) {
      proposeFailures.labelValues(reason.name());
    }
  }

  public void ready(boolean isReady) {
    ready.set(isReady ? 1 : 0);
  }

  /** Updates the store-side gauges from a status read. */
  public void storeView(
      boolean isLeader,
      long currentTerm,
      long commit,
      long appliedIdx,
      long snapshot,
      long mapsRevision) {
    leader.set(isLeader ? 1 : 0);
    term.set(currentTerm);
    commitIndex.set(commit);
    storeApplied.set(appliedIdx);
    snapshotIndex.set(snapshot);
    lag.set(Math.max(0, commit - mapsRevision));
  }

  public void mapEntries(String map, long count) {
    mapEntries.labelValues(map).set(count);
  }
}
