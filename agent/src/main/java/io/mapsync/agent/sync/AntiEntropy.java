package io.mapsync.agent.sync;

import com.google.protobuf.ByteString;
import io.mapsync.store.MapEntry;
import io.mapsync.store.MapsSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The safety net under the apply loop: compares each local map with the store and repairs keys
 * that differ. Only a difference seen identically in two passes in a row, with no pending local
 * write, is repaired: a key being written right now differs for a moment and then either its
 * capture arrives (pending) or its remote delta is applied, so it never reaches the second pass.
 * The store is the authority; the repair writes the store's value.
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
   * One pass over every map against a store snapshot the apply loop has already reached.
   *
   * @return how many keys were repaired
   */
  int pass(Map<String, LocalMap> maps, MapsSnapshot snapshot) {
    Map<MapKey, Difference> seen = new HashMap<>();
    int repaired = 0;
    for (LocalMap map : maps.values()) {
      Map<ByteString, ByteString> store = new HashMap<>();
      for (MapEntry e : snapshot.entries(map.name())) {
        store.put(e.key(), e.value());
      }
      Map<ByteString, ByteString> local = map.dump();
      int mapRepairs = 0;
      for (ByteString k : union(local, store)) {
        ByteString lv = local.get(k);
        ByteString sv = store.get(k);
        if (Objects.equals(lv, sv) || (lv == null && !map.replicateEvictions())) {
          continue;
        }
        MapKey key = new MapKey(map.name(), k);
        Difference d = new Difference(lv, sv);
        if (pending.isPending(key)) {
          continue;
        }
        if (d.equals(suspects.get(key)) && repair(map, key, sv)) {
          mapRepairs++;
        } else {
          seen.put(key, d);
        }
      }
      if (mapRepairs > 0) {
        metrics.repaired(map.name(), mapRepairs);
        repaired += mapRepairs;
      }
    }
    suspects = seen;
    return repaired;
  }

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

  private static List<ByteString> union(Map<ByteString, ByteString> a, Map<ByteString, ByteString> b) {
    java.util.Set<ByteString> all = new java.util.HashSet<>(a.keySet());
    all.addAll(b.keySet());
    return List.copyOf(all);
  }
}
