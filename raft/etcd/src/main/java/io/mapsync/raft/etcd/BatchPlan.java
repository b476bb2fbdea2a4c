package io.mapsync.raft.etcd;

import com.google.protobuf.ByteString;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.store.state.MapValidation;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.DeltaRejection;
import io.mapsync.wire.MapDelta;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one delta batch becomes in etcd: the rejections, decided on the client with the replicas'
 * rules (unknown map, sizes, array rules, full map), and the writes of one txn.
 *
 * <p>Deltas are judged in batch order against the map state as it would be after the earlier
 * deltas, exactly as the embedded store applies them. etcd refuses a txn that touches a key twice,
 * so several deltas to one key collapse into the last one: the final state is the same, watchers
 * see one event for that key instead of several.
 */
final class BatchPlan {

  /** One key write: a put of value, or a delete when value is null. */
  record Write(ByteString key, ByteString value) {
    boolean isDelete() {
      return value == null;
    }
  }

  /** What the plan needs to know about maps that can be full, read at one revision. */
  interface Occupancy {
    /** The number of entries the map holds. */
    long count(String map);

    /** Whether the entry key exists. */
    boolean exists(ByteString entryKey);
  }

  private final List<DeltaRejection> rejections;
  private final List<Write> writes;

  private BatchPlan(List<DeltaRejection> rejections, List<Write> writes) {
    this.rejections = List.copyOf(rejections);
    this.writes = List.copyOf(writes);
  }

  List<DeltaRejection> rejections() {
    return rejections;
  }

  List<Write> writes() {
    return writes;
  }

  /**
   * Hash and per-CPU hash maps refuse new keys when full. LRU maps evict instead, and arrays hold
   * every valid index already, so only the bounded hash types need a count.
   */
  static boolean canBeFull(MapSpec spec) {
    return spec.getType() == MapType.HASH || spec.getType() == MapType.PERCPU_HASH;
  }

  /**
   * The entry keys whose existence, and the maps whose entry count, the plan must know: those of
   * full-able maps that the batch adds to.
   */
  static Set<ByteString> keysToCheck(DeltaBatch batch, Map<String, MapSpec> specs) {
    Set<String> growing = new LinkedHashSet<>();
    for (MapDelta d : batch.getDeltasList()) {
      MapSpec spec = specs.get(d.getMap());
      if (spec != null && canBeFull(spec) && d.getOp() == MapDelta.Op.PUT) {
        growing.add(d.getMap());
      }
    }
    Set<ByteString> keys = new LinkedHashSet<>();
    for (MapDelta d : batch.getDeltasList()) {
      if (growing.contains(d.getMap()) && d.getKey().size() == specs.get(d.getMap()).getKeySize()) {
        keys.add(KeyLayout.entryKey(d.getMap(), d.getKey()));
      }
    }
    return keys;
  }

  /** The maps whose entry count the plan needs (see {@link #keysToCheck}). */
  static Collection<String> mapsToCount(Set<ByteString> keysToCheck) {
    Set<String> maps = new LinkedHashSet<>();
    for (ByteString k : keysToCheck) {
      KeyLayout.parseEntryKey(k).ifPresent(e -> maps.add(e.map()));
    }
    return maps;
  }

  static BatchPlan of(DeltaBatch batch, Map<String, MapSpec> specs, Occupancy occupancy) {
    List<DeltaRejection> rejections = new ArrayList<>();
    Map<ByteString, Write> writes = new LinkedHashMap<>();
    Map<String, Long> counts = new HashMap<>();
    Map<ByteString, Boolean> exists = new HashMap<>();
    Set<ByteString> tracked = keysToCheck(batch, specs);
    for (int i = 0; i < batch.getDeltasCount(); i++) {
      MapDelta d = batch.getDeltas(i);
      MapSpec spec = specs.get(d.getMap());
      if (spec == null) {
        rejections.add(
            reject(
                i,
                DeltaRejection.Reason.UNKNOWN_MAP,
                "map '" + d.getMap() + "' is not registered"));
        continue;
      }
      DeltaRejection bad = MapValidation.check(i, spec, d.getOp(), d.getKey(), d.getValue());
      if (bad != null) {
        rejections.add(bad);
        continue;
      }
      ByteString key = KeyLayout.entryKey(spec.getName(), d.getKey());
      // Only maps the batch adds to can become full; deletes elsewhere need no count.
      if (tracked.contains(key)) {
        boolean present = exists.computeIfAbsent(key, occupancy::exists);
        long count = counts.computeIfAbsent(spec.getName(), occupancy::count);
        if (d.getOp() == MapDelta.Op.PUT && !present) {
          if (count >= spec.getMaxEntries()) {
            rejections.add(
                reject(
                    i,
                    DeltaRejection.Reason.MAP_FULL,
                    "map '"
                        + spec.getName()
                        + "' is full ("
                        + spec.getMaxEntries()
                        + " entries); delete entries or raise max_entries"));
            continue;
          }
          counts.put(spec.getName(), count + 1);
          exists.put(key, true);
        } else if (d.getOp() == MapDelta.Op.DELETE && present) {
          counts.put(spec.getName(), count - 1);
          exists.put(key, false);
        }
      }
      // Re-inserting moves nothing: the key keeps the position of its first delta.
      writes.put(key, new Write(key, d.getOp() == MapDelta.Op.PUT ? d.getValue() : null));
    }
    return new BatchPlan(rejections, new ArrayList<>(writes.values()));
  }

  private static DeltaRejection reject(int index, DeltaRejection.Reason reason, String message) {
    return DeltaRejection.newBuilder()
        .setIndex(index)
        .setReason(reason)
        .setMessage(message)
        .build();
  }
}
