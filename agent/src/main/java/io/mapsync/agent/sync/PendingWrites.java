package io.mapsync.agent.sync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-key pending set, plus marks of the apply loop's own local writes.
 *
 * <p>Capture and apply race on the same key: the network function may write a key just before the
 * apply loop overwrites it with a remote value, and the capture of that write may reach us only
 * after. Both sides publish first and check second (capture: add pending, then read the mark;
 * apply: set the mark, then read pending), so at least one of them sees the other. If the apply
 * side sees a pending write, it defers to log order; if the capture side sees a mark at or after
 * its write, it flags the write as overwritten so its committed value is written back.
 */
final class PendingWrites {
  /** A local write by the apply loop is under way. */
  private static final long IN_PROGRESS = Long.MAX_VALUE;

  private final Map<MapKey, PendingWrite> byKey = new ConcurrentHashMap<>();
  private final Map<MapKey, Long> applyMarks = new ConcurrentHashMap<>();

  /** Capture side: records the newest local write of a key. */
  void add(PendingWrite write) {
    byKey.put(write.key, write);
    Long mark = applyMarks.get(write.key);
    if (mark != null && mark >= write.captureNanos) {
      write.overwrittenLocally = true;
    }
  }

  PendingWrite get(MapKey key) {
    return byKey.get(key);
  }

  /** Removes the write if it is still the newest for its key. */
  boolean settle(PendingWrite write) {
    return byKey.remove(write.key, write);
  }

  /** Apply side, before reading pending: announces a local write; returns the previous mark. */
  Long beginLocalWrite(MapKey key) {
    return applyMarks.put(key, IN_PROGRESS);
  }

  /** Apply side: the local write is done. */
  void endLocalWrite(MapKey key) {
    applyMarks.put(key, System.nanoTime());
  }

  /** Apply side: the local write did not happen after all. */
  void abandonLocalWrite(MapKey key, Long previousMark) {
    if (previousMark == null) {
      applyMarks.remove(key, IN_PROGRESS);
    } else {
      applyMarks.replace(key, IN_PROGRESS, previousMark);
    }
  }

  /** Forgets marks older than the given age: captures arrive long before that. */
  void pruneMarks(long olderThanNanos) {
    long cutoff = System.nanoTime() - olderThanNanos;
    applyMarks.values().removeIf(t -> t != IN_PROGRESS && t < cutoff);
  }

  int size() {
    return byKey.size();
  }

  boolean isPending(MapKey key) {
    return byKey.containsKey(key);
  }
}
