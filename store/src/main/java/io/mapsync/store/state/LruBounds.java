package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import io.mapsync.store.KeyRanges;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The entries of each LRU map ordered by their last write (revision, then key), so the store can
 * hold an LRU map to its max_entries the way the kernel does: a new key that would exceed it evicts
 * the least recently written one, as a delete at the same revision. The order depends only on the
 * log (never on arrival or snapshot order), so every replica evicts the same key. Without it a map
 * with {@code lru_eviction: local} kept every flow ever seen in the store, its snapshots and every
 * bootstrap.
 */
final class LruBounds {
  /** A key's place: the revision of its last write; ties (one batch) broken by key order. */
  private record Mark(long revision, ByteString key) {}

  private static final Comparator<Mark> ORDER =
      Comparator.comparingLong(Mark::revision).thenComparing(Mark::key, KeyRanges.ORDER);

  private final Map<String, TreeSet<Mark>> byMap = new HashMap<>();

  static boolean evicting(MapSpec spec) {
    return spec.getType() == MapType.LRU_HASH || spec.getType() == MapType.LRU_PERCPU_HASH;
  }

  /** Starts ordering a map's entries if it is an LRU map with a bound. */
  void register(MapSpec spec) {
    if (evicting(spec) && spec.getMaxEntries() > 0) {
      byMap.putIfAbsent(spec.getName(), new TreeSet<>(ORDER));
    }
  }

  boolean tracks(String map) {
    return map != null && byMap.containsKey(map);
  }

  boolean any() {
    return !byMap.isEmpty();
  }

  /**
   * A key of a tracked map was written at revision; previousRevision is its last write, or 0 if
   * new.
   */
  void written(String map, ByteString key, long revision, long previousRevision) {
    TreeSet<Mark> marks = byMap.get(map);
    if (previousRevision != 0) {
      marks.remove(new Mark(previousRevision, key));
    }
    marks.add(new Mark(revision, key));
  }

  void deleted(String map, ByteString key, long lastRevision) {
    byMap.get(map).remove(new Mark(lastRevision, key));
  }

  /** The least recently written key of a tracked map, or null if it is empty. */
  ByteString oldest(String map) {
    TreeSet<Mark> marks = byMap.get(map);
    return marks.isEmpty() ? null : marks.first().key();
  }

  void takeOver(LruBounds other) {
    byMap.putAll(other.byMap);
  }

  void clear() {
    byMap.clear();
  }
}
