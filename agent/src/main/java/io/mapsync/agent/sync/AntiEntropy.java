package io.mapsync.agent.sync;

import com.google.protobuf.ByteString;
import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.StoredEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The safety net under the apply loop: compares each local map with the store and repairs keys that
 * differ. Only a difference seen identically in two passes in a row, with no pending local write,
 * is repaired: a key being written right now differs for a moment and then either its capture
 * arrives (pending) or its remote delta is applied, so it never reaches the second pass. The store
 * is the authority; the repair writes the store's value.
 */
final class AntiEntropy {
  private final PendingWrites pending;
  private final SyncMetrics metrics;

  /** Differences seen in the previous pass: key -> (local value, store value). */
  private Map<MapKey, Difference> suspects = new HashMap<>();

  private record Difference(ByteString local, ByteString store) {}

  AntiEntropy(PendingWrites pending, SyncMetrics metrics) {
    this.pending = pending;
    this.metrics = metrics;
  }

  /**
   * One pass over every map against a store snapshot the apply loop has already reached. The
   * comparison runs while the apply loop goes on (a whole-map dump and diff took the apply thread
   * off the log for 1-1.7 s every pass on a loaded host: docs/benchmarks.md); only the repairs run
   * with it paused, and a key the apply loop wrote since before the snapshot was read is left
   * alone, since its store value may have moved past the snapshot's.
   *
   * @param changed keys the apply loop wrote since before the snapshot was read (still growing)
   * @param whileApplyPaused runs the repairs with the apply loop paused; false if it skipped them
   * @return how many keys were repaired
   */
  int pass(
      Map<String, LocalMap> maps,
      MapsSnapshot snapshot,
      Set<MapKey> changed,
      Predicate<Runnable> whileApplyPaused) {
    Map<MapKey, Difference> seen = new HashMap<>();
    List<Repair> repairs = new ArrayList<>();
    for (LocalMap map : maps.values()) {
      Map<ByteString, ByteString> store = new HashMap<>();
      for (StoredEntry e : snapshot.entries(map.name())) {
        store.put(e.key(), e.value());
      }
      Map<ByteString, ByteString> local = map.dump();
      for (ByteString k : union(local, store)) {
        ByteString lv = local.get(k);
        ByteString sv = store.get(k);
        if (Objects.equals(lv, sv) || (lv == null && !map.replicateEvictions())) {
          continue;
        }
        MapKey key = new MapKey(map.name(), k);
        Difference d = new Difference(lv, sv);
        if (pending.isPending(key) || changed.contains(key)) {
          continue;
        }
        if (d.equals(suspects.get(key))) {
          repairs.add(new Repair(map, key, sv));
        } else {
          seen.put(key, d);
        }
      }
    }
    int[] repaired = {0};
    if (!repairs.isEmpty()) {
      whileApplyPaused.test(
          () -> {
            for (Repair r : repairs) {
              if (!changed.contains(r.key()) && repair(r.map(), r.key(), r.storeValue())) {
                metrics.repaired(r.map().name(), 1);
                repaired[0]++;
              }
            }
          });
    }
    suspects = seen;
    return repaired[0];
  }

  private record Repair(LocalMap map, MapKey key, ByteString storeValue) {}

  /** Number of differences waiting for a second look. */
  int suspects() {
    return suspects.size();
  }

  private boolean repair(LocalMap map, MapKey key, ByteString storeValue) {
    Long mark = pending.beginLocalWrite(key);
    if (pending.isPending(key)) {
      pending.abandonLocalWrite(key, mark);
      return false;
    }
    try {
      if (storeValue == null) {
        map.delete(key.key());
      } else {
        map.write(key.key(), storeValue);
      }
    } catch (LocalWriteException e) {
      pending.abandonLocalWrite(key, mark);
      return false;
    }
    pending.endLocalWrite(key);
    return true;
  }

  private static List<ByteString> union(
      Map<ByteString, ByteString> a, Map<ByteString, ByteString> b) {
    java.util.Set<ByteString> all = new java.util.HashSet<>(a.keySet());
    all.addAll(b.keySet());
    return List.copyOf(all);
  }
}
