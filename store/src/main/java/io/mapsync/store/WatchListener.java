package io.mapsync.store;

/**
 * Receives committed changes in log order: no gaps, no duplicates. Calls for one watch never
 * overlap; they come from a store thread, so a listener must not block for long.
 */
public interface WatchListener {
  /** The changes of one revision that match the watch. */
  void onRevision(RevisionEvents events);

  /**
   * The watch asked for revisions the store no longer holds. The watch is over; read a snapshot
   * ({@link StateStore#readMaps} or a range) and watch again from its revision + 1.
   */
  void onCompacted(long compactRevision);

  /** The store has applied everything up to this revision and the watch has seen all of it. */
  default void onProgress(long revision) {}

  /** The watch ended with an error (store closed, connection lost for good). */
  default void onError(StoreException error) {}
}
