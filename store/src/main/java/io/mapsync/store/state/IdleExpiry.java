package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import io.mapsync.store.KeyRanges;
import io.mapsync.wire.MapSpec;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The entries of each map with an idle TTL, ordered by the capture time of their last write (then
 * key). The clock that expires them is the log's own: a write captured at T expires its map's
 * entries last written before T - ttl. Both times come from the log, never from the replica's
 * clock, so every replica (and one restored from a snapshot) expires the same keys at the same
 * revision. A map that receives no writes does not age.
 */
final class IdleExpiry {
  /** A key's place: the capture time of its last write; ties broken by key order. */
  private record Mark(long capturedNanos, ByteString key) {}

  private static final Comparator<Mark> ORDER =
      Comparator.comparingLong(Mark::capturedNanos).thenComparing(Mark::key, KeyRanges.ORDER);

  private final Map<String, TreeSet<Mark>> byMap = new HashMap<>();

  /** Starts ordering a map's entries if it has an idle TTL. */
  void register(MapSpec spec) {
    if (spec.getIdleTtlMillis() > 0) {
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
   * A key of a tracked map was written; previousNanos is its last write's capture time, ignored if
   * new.
   */
  void written(
      String map, ByteString key, long capturedNanos, boolean existed, long previousNanos) {
    TreeSet<Mark> marks = byMap.get(map);
    if (existed) {
      marks.remove(new Mark(previousNanos, key));
    }
    marks.add(new Mark(capturedNanos, key));
  }

  void deleted(String map, ByteString key, long lastNanos) {
    byMap.get(map).remove(new Mark(lastNanos, key));
  }

  /** The key of a tracked map last written before the given capture time, or null if none is. */
  ByteString idleBefore(String map, long capturedNanos) {
    TreeSet<Mark> marks = byMap.get(map);
    if (marks.isEmpty() || marks.first().capturedNanos() >= capturedNanos) {
      return null;
    }
    return marks.first().key();
  }

  void takeOver(IdleExpiry other) {
    byMap.putAll(other.byMap);
  }

  void clear() {
    byMap.clear();
  }
}
