package io.mapsync.raft.etcd;

import com.google.protobuf.ByteString;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.MapSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Spares most batches the occupancy read. etcd counts a prefix by walking its index, so counting a
 * map of 100k entries for every batch costs tens of milliseconds. Instead the store keeps, per
 * bounded map, an upper bound of its entry count: the count it last read, plus every key this store
 * may have added that the count cannot include (each put of a batch counts as a possible new key).
 * While the bound plus the batch's puts stays a margin below max_entries, no delta of the batch can
 * hit a full map and the read is skipped; near the limit the batch reads the exact occupancy.
 * Counts are refreshed in the background (see {@link #takeStale}).
 *
 * <p>What a count includes: every batch whose commit completed before the read was sent
 * (linearizable read). So per map the store sums the possible new keys of batches sent and of
 * batches settled, and a count taken when {@code settled} was S leaves {@code sent - S} on top. A
 * batch whose outcome is unknown never settles: it stays in the bound.
 *
 * <p>For a single writer the decision is exact. Other writers' additions are seen at the next
 * count: they could fill the margin unseen only by adding that many keys within one count's age.
 */
final class OccupancyEstimates {
  static final long MAX_AGE_NANOS = 10_000_000_000L;
  private static final long MIN_MARGIN = 64;

  /**
   * Per map: the last count, when it was read, the settled total it includes, and the running
   * totals.
   */
  private static final class Bound {
    long count = -1;
    long readAtNanos;
    long settledAtRead;
    long sent;
    long settled;
    boolean recounting;
  }

  private final Map<String, Bound> bounds = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  OccupancyEstimates(LongSupplier clock) {
    this.clock = clock;
  }

  static long margin(MapSpec spec) {
    return Math.max(MIN_MARGIN, spec.getMaxEntries() / 16);
  }

  /** The possible new keys per map, for the keys a batch writes to bounded maps. */
  static Map<String, Long> keysPerMap(Set<ByteString> keys) {
    Map<String, Long> perMap = new HashMap<>();
    for (ByteString k : keys) {
      KeyLayout.parseEntryKey(k).ifPresent(e -> perMap.merge(e.map(), 1L, Long::sum));
    }
    return perMap;
  }

  /**
   * An occupancy to plan with without reading, or null if the batch needs the exact read. It says
   * no key exists and the map holds its upper bound: every put then counts as new, and none can
   * reach max_entries.
   */
  BatchPlan.Occupancy skipRead(Map<String, Long> newKeys, Map<String, MapSpec> specs) {
    Map<String, Long> upper = new HashMap<>();
    for (Map.Entry<String, Long> e : newKeys.entrySet()) {
      MapSpec spec = specs.get(e.getKey());
      Bound b = bounds.get(e.getKey());
      if (spec == null || b == null) {
        return null;
      }
      long bound;
      synchronized (b) {
        if (b.count < 0) {
          return null;
        }
        bound = b.count + b.sent - b.settledAtRead;
      }
      if (bound + e.getValue() > spec.getMaxEntries() - margin(spec)) {
        return null;
      }
      upper.put(e.getKey(), bound);
    }
    return new BatchPlan.Occupancy() {
      @Override
      public long count(String map) {
        return upper.getOrDefault(map, 0L);
      }

      @Override
      public boolean exists(ByteString entryKey) {
        return false;
      }
    };
  }

  /**
   * The maps among these whose count should be refreshed, and not already being: it is older than
   * {@link #MAX_AGE_NANOS}, or this store's own puts since have used up half the headroom it left
   * (so that a map written at a high rate is recounted before every batch has to read it). Marks
   * them as being refreshed.
   */
  Collection<String> takeStale(Collection<String> maps, Map<String, MapSpec> specs) {
    long now = clock.getAsLong();
    List<String> stale = new ArrayList<>();
    for (String map : maps) {
      Bound b = bounds.get(map);
      MapSpec spec = specs.get(map);
      if (b == null || spec == null) {
        continue;
      }
      synchronized (b) {
        long headroom = spec.getMaxEntries() - margin(spec) - b.count;
        boolean old = now - b.readAtNanos > MAX_AGE_NANOS;
        boolean usedUp = 2 * (b.sent - b.settledAtRead) > headroom;
        if (b.count >= 0 && !b.recounting && (old || usedUp)) {
          b.recounting = true;
          stale.add(map);
        }
      }
    }
    return stale;
  }

  /** The settled total of each map, to pass to {@link #counted} for a read sent now. */
  Map<String, Long> beforeRead(Collection<String> maps) {
    Map<String, Long> marks = new HashMap<>();
    for (String map : maps) {
      Bound b = bounds.computeIfAbsent(map, m -> new Bound());
      synchronized (b) {
        marks.put(map, b.settled);
      }
    }
    return marks;
  }

  /** Records counts read by a read sent when the settled totals were {@code marks}. */
  void counted(Map<String, Long> counts, Map<String, Long> marks) {
    long now = clock.getAsLong();
    counts.forEach(
        (map, count) -> {
          Bound b = bounds.computeIfAbsent(map, m -> new Bound());
          synchronized (b) {
            b.count = count;
            b.readAtNanos = now;
            b.settledAtRead = marks.getOrDefault(map, 0L);
            b.recounting = false;
          }
        });
  }

  /** A background recount failed: the next batch may try again. */
  void recountFailed(Collection<String> maps) {
    for (String map : maps) {
      Bound b = bounds.get(map);
      if (b != null) {
        synchronized (b) {
          b.recounting = false;
        }
      }
    }
  }

  /** A batch that may add these keys is about to be sent. */
  void sending(Map<String, Long> newKeys) {
    newKeys.forEach(
        (map, n) -> {
          Bound b = bounds.computeIfAbsent(map, m -> new Bound());
          synchronized (b) {
            b.sent += n;
          }
        });
  }

  /** That batch's outcome is known (applied, duplicate or refused): later counts include it. */
  void settled(Map<String, Long> newKeys) {
    newKeys.forEach(
        (map, n) -> {
          Bound b = bounds.get(map);
          if (b != null) {
            synchronized (b) {
              b.settled += n;
            }
          }
        });
  }
}
