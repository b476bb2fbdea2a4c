package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import io.mapsync.store.Event;
import io.mapsync.store.KeyRanges;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.MapSpec;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The current content of the store: keys, registered map specs, per-map entry counts, leases and
 * the last batch seen per origin. Mutated only by the single apply thread (through {@link
 * Mutation}); read under {@link ReplicaState}'s read lock.
 */
final class KeySpace {
  final ConcurrentSkipListMap<ByteString, KeyValue> kvs = new ConcurrentSkipListMap<>(KeyRanges.ORDER);
  final Map<String, MapSpec> specs = new HashMap<>();
  final Map<String, Integer> entryCounts = new HashMap<>();
  final Map<Long, Lease> leases = new HashMap<>();
  final OriginMarks origins = new OriginMarks();

  /** A lease and the keys attached to it. */
  static final class Lease {
    final long id;
    final long ttlSeconds;
    final Set<ByteString> keys = new LinkedHashSet<>();

    Lease(long id, long ttlSeconds) {
      this.id = id;
      this.ttlSeconds = ttlSeconds;
    }
  }

  /** Keys in [key, rangeEnd), following etcd's range conventions. */
  NavigableMap<ByteString, KeyValue> range(ByteString key, ByteString rangeEnd) {
    if (rangeEnd.isEmpty()) {
      KeyValue kv = kvs.get(key);
      NavigableMap<ByteString, KeyValue> one = new ConcurrentSkipListMap<>(KeyRanges.ORDER);
      if (kv != null) {
        one.put(key, kv);
      }
      return one;
    }
    if (KeyRanges.isOpenEnded(rangeEnd)) {
      return kvs.tailMap(key, true);
    }
    if (KeyRanges.ORDER.compare(key, rangeEnd) >= 0) {
      return new ConcurrentSkipListMap<>(KeyRanges.ORDER);
    }
    return kvs.subMap(key, true, rangeEnd, false);
  }

  int entryCount(String map) {
    return entryCounts.getOrDefault(map, 0);
  }

  /** Writes a key at a revision and records the event. */
  void put(ByteString key, KeyValue.Builder value, long revision, List<Event> events) {
    // One skip-list walk instead of a get and a put: compute() replaces an existing key's value in
    // place. Lookups in a large key space are cache misses, and this is the apply hot path.
    KeyValue[] previous = new KeyValue[1];
    KeyValue kv = kvs.compute(key, (k, old) -> {
      previous[0] = old;
      return value
          .setKey(key)
          .setModRevision(revision)
          .setCreateRevision(old == null ? revision : old.getCreateRevision())
          .setVersion(old == null ? 1 : old.getVersion() + 1)
          .build();
    });
    KeyValue prev = previous[0];
    if (prev != null && prev.getLease() != 0 && prev.getLease() != kv.getLease()) {
      detachLease(prev);
    }
    if (kv.getLease() != 0) {
      Lease lease = leases.get(kv.getLease());
      if (lease != null) {
        lease.keys.add(key);
      }
    }
    if (prev == null) {
      adjustCount(key, +1);
    }
    events.add(new Event(Event.Type.PUT, kv, prev));
  }

  /** Deletes a key at a revision; returns the previous value or null if it did not exist. */
  KeyValue delete(ByteString key, long revision, List<Event> events) {
    return delete(key, revision, events, KeyValue.newBuilder());
  }

  /**
   * Deletes a key; the tombstone delivered to watchers carries the given origin fields, so an
   * agent can tell its own committed deletes from others'.
   */
  KeyValue delete(ByteString key, long revision, List<Event> events, KeyValue.Builder tombstone) {
    KeyValue prev = kvs.remove(key);
    if (prev == null) {
      return null;
    }
    if (prev.getLease() != 0) {
      detachLease(prev);
    }
    adjustCount(key, -1);
    events.add(new Event(Event.Type.DELETE, tombstone.setKey(key).setModRevision(revision).build(), prev));
    return prev;
  }

  private void detachLease(KeyValue kv) {
    Lease lease = leases.get(kv.getLease());
    if (lease != null) {
      lease.keys.remove(kv.getKey());
    }
  }

  private void adjustCount(ByteString key, int delta) {
    KeyLayout.parseEntryKey(key).ifPresent(e -> entryCounts.merge(e.map(), delta, Integer::sum));
  }

  void clear() {
    kvs.clear();
    specs.clear();
    entryCounts.clear();
    leases.clear();
    origins.clear();
  }
}
