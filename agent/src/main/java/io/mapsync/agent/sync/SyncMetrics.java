package io.mapsync.agent.sync;

/** What the sync loop reports; the agent binds it to Prometheus, tests to nothing or counters. */
public interface SyncMetrics {
  default void captured(String map) {}

  /** A captured change that was not proposed (an LRU eviction kept local, a map not replicated). */
  default void dropped(String map, String reason) {}

  default void proposed(int deltas) {}

  default void committed(int deltas, long commitNanos) {}

  default void proposeFailed(String reason) {}

  /** A delta refused by the store or by the local map. */
  default void rejected(String map, String reason) {}

  default void applied(String map, int deltas) {}

  /** A delta in the log for a map this agent does not manage: not applied to any local map. */
  default void unmanaged() {}

  /** A remote delta skipped because a newer local write of the key is pending. */
  default void superseded(String map) {}

  /** Capture on the origin host to apply here, from the delta's wall-clock timestamp. */
  default void propagated(long nanos) {}

  default void appliedRevision(long revision) {}

  default void pending(int size) {}

  /**
   * Bootstrap (or resync) of a map has checked {@code done} of the store's {@code total} entries.
   */
  default void bootstrapProgress(String map, long done, long total) {}

  /** Bootstrap installed {@code entries} of a map in one batch map write (BPF_MAP_UPDATE_BATCH). */
  default void bootstrapBatch(String map, int entries) {}

  /** The kernel refused a bootstrap batch; its entries were written one by one instead. */
  default void bootstrapBatchRefused(String map) {}

  /** Keys anti-entropy found different from the store and repaired. */
  default void repaired(String map, int keys) {}

  SyncMetrics NONE = new SyncMetrics() {};
}
