package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import io.mapsync.store.Event;
import io.mapsync.store.KeyRanges;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.MapSpec;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The current content of the store: keys, registered map specs, per-map entry counts, leases and
 * the last batch seen per origin. Mutated only by the single apply thread under {@link
 * ReplicaState}'s write lock; read under its read lock, so plain collections suffice.
 */
final class KeySpace {
  /**
   * Every key twice: by hash for the apply path's point lookups, and in key order for ranges. Both
   * hold the same {@link Slot}, whose value an update replaces in place, so updating an existing
   * key (the common case: a session's state changing) is one hash lookup; only inserts and deletes
   * walk the ordered tree. The skip list this replaced was 60% of the apply thread's CPU (key
   * compares over the shared "/mapsync/maps/..." prefix, one cache miss per level).
   */
  private HashMap<ByteString, Slot> byKey = new HashMap<>();

  private TreeMap<ByteString, Slot> ordered = new TreeMap<>(KeyRanges.ORDER);

  /** Keys read from a snapshot, in its order, until {@link #finishLoad} indexes them. */
  private List<Slot> loading = new ArrayList<>();

  private boolean loadingInOrder = true;
  final Map<String, MapSpec> specs = new HashMap<>();
  final Map<String, Integer> entryCounts = new HashMap<>();
  final Map<Long, Lease> leases = new HashMap<>();
  final OriginMarks origins = new OriginMarks();

  /** LRU maps' entries in last-write order, for holding them to max_entries. */
  final LruBounds lru = new LruBounds();

  /** Entries of maps with an idle TTL in last-capture order, for expiring them. */
  final IdleExpiry idle = new IdleExpiry();

  /** A key's current value; replaced in place on update. */
  static final class Slot {
    KeyValue kv;

    Slot(KeyValue kv) {
      this.kv = kv;
    }
  }

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

  /** The key's current value, or null. */
  KeyValue get(ByteString key) {
    Slot slot = byKey.get(key);
    return slot == null ? null : slot.kv;
  }

  boolean contains(ByteString key) {
    return byKey.containsKey(key);
  }

  int size() {
    return byKey.size();
  }

  /** Values of the keys in [key, rangeEnd), in key order, following etcd's range conventions. */
  Collection<KeyValue> range(ByteString key, ByteString rangeEnd) {
    if (rangeEnd.isEmpty()) {
      KeyValue kv = get(key);
      return kv == null ? List.of() : List.of(kv);
    }
    if (KeyRanges.isOpenEnded(rangeEnd)) {
      return values(ordered.tailMap(key, true));
    }
    if (KeyRanges.ORDER.compare(key, rangeEnd) >= 0) {
      return List.of();
    }
    return values(ordered.subMap(key, true, rangeEnd, false));
  }

  /** Every value, in key order. */
  Collection<KeyValue> all() {
    return values(ordered);
  }

  /**
   * A copy of the keys in [key, rangeEnd), so the caller may change the key space while using it.
   */
  List<ByteString> keysIn(ByteString key, ByteString rangeEnd) {
    List<ByteString> keys = new ArrayList<>();
    for (KeyValue kv : range(key, rangeEnd)) {
      keys.add(kv.getKey());
    }
    return keys;
  }

  private static Collection<KeyValue> values(SortedMap<ByteString, Slot> view) {
    return new AbstractCollection<>() {
      @Override
      public Iterator<KeyValue> iterator() {
        Iterator<Slot> slots = view.values().iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return slots.hasNext();
          }

          @Override
          public KeyValue next() {
            return slots.next().kv;
          }
        };
      }

      @Override
      public boolean isEmpty() {
        return view.isEmpty();
      }

      @Override
      public int size() {
        return view.size();
      }
    };
  }

  /**
   * Adds a key as read from a snapshot (no event, no index upkeep: the reader rebuilds those). Keys
   * are only collected here; {@link #finishLoad} indexes them all at once.
   */
  void load(KeyValue kv) {
    if (loadingInOrder
        && !loading.isEmpty()
        && KeyRanges.ORDER.compare(loading.get(loading.size() - 1).kv.getKey(), kv.getKey()) >= 0) {
      loadingInOrder = false;
    }
    loading.add(new Slot(kv));
  }

  /**
   * Indexes the loaded keys: the hash index sized once, and, since a snapshot lists keys in order,
   * the ordered index built in linear time without comparing keys (inserting a million keys one by
   * one was most of a restore: hash resizes and tree walks over the keys' shared prefix).
   */
  void finishLoad() {
    HashMap<ByteString, Slot> hash = new HashMap<>((int) (loading.size() / 0.75f) + 1);
    for (Slot slot : loading) {
      hash.put(slot.kv.getKey(), slot);
    }
    TreeMap<ByteString, Slot> tree = new TreeMap<>(KeyRanges.ORDER);
    if (loadingInOrder) {
      tree.putAll(new SortedRun(loading));
    } else {
      for (Slot slot : loading) {
        tree.put(slot.kv.getKey(), slot);
      }
    }
    byKey = hash;
    ordered = tree;
    loading = new ArrayList<>();
    loadingInOrder = true;
  }

  /**
   * Takes over another key space's keys and indexes (restoring a snapshot into a cleared space):
   * the other's collections themselves, not a copy of them.
   */
  void takeOver(KeySpace other) {
    byKey = other.byKey;
    ordered = other.ordered;
    lru.takeOver(other.lru);
    idle.takeOver(other.idle);
    other.byKey = new HashMap<>();
    other.ordered = new TreeMap<>(KeyRanges.ORDER);
  }

  int entryCount(String map) {
    return entryCounts.getOrDefault(map, 0);
  }

  /** Writes a key at a revision and records the event. */
  void put(ByteString key, KeyValue.Builder value, long revision, List<Event> events) {
    put(key, value, revision, events, null);
  }

  /**
   * Writes a key at a revision and records the event.
   *
   * @param map the map the key is an entry of, when the caller knows it (saves parsing the key to
   *     keep the map's entry count); null to have it parsed
   */
  void put(ByteString key, KeyValue.Builder value, long revision, List<Event> events, String map) {
    Slot slot = byKey.get(key);
    KeyValue old = slot == null ? null : slot.kv;
    KeyValue kv =
        value
            .setKey(key)
            .setModRevision(revision)
            .setCreateRevision(old == null ? revision : old.getCreateRevision())
            .setVersion(old == null ? 1 : old.getVersion() + 1)
            .build();
    if (slot == null) {
      slot = new Slot(kv);
      byKey.put(key, slot);
      ordered.put(key, slot);
    } else {
      slot.kv = kv;
    }
    KeyValue prev = old;
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
      adjustCount(key, map, +1);
    }
    if (lru.any()) {
      String m = map != null ? map : mapOf(key);
      if (lru.tracks(m)) {
        lru.written(m, key, revision, prev == null ? 0 : prev.getModRevision());
      }
    }
    if (idle.any()) {
      String m = map != null ? map : mapOf(key);
      if (idle.tracks(m)) {
        idle.written(
            m,
            key,
            kv.getCapturedUnixNanos(),
            prev != null,
            prev == null ? 0 : prev.getCapturedUnixNanos());
      }
    }
    events.add(new Event(Event.Type.PUT, kv, prev));
  }

  /** Deletes a key at a revision; returns the previous value or null if it did not exist. */
  KeyValue delete(ByteString key, long revision, List<Event> events) {
    return delete(key, revision, events, KeyValue.newBuilder());
  }

  /**
   * Deletes a key; the tombstone delivered to watchers carries the given origin fields, so an agent
   * can tell its own committed deletes from others'.
   */
  KeyValue delete(ByteString key, long revision, List<Event> events, KeyValue.Builder tombstone) {
    return delete(key, revision, events, tombstone, null);
  }

  /** As above, for a key of a known map (or null to have it parsed). */
  KeyValue delete(
      ByteString key, long revision, List<Event> events, KeyValue.Builder tombstone, String map) {
    Slot slot = byKey.remove(key);
    if (slot == null) {
      return null;
    }
    ordered.remove(key);
    KeyValue prev = slot.kv;
    if (prev.getLease() != 0) {
      detachLease(prev);
    }
    adjustCount(key, map, -1);
    if (lru.any()) {
      String m = map != null ? map : mapOf(key);
      if (lru.tracks(m)) {
        lru.deleted(m, key, prev.getModRevision());
      }
    }
    if (idle.any()) {
      String m = map != null ? map : mapOf(key);
      if (idle.tracks(m)) {
        idle.deleted(m, key, prev.getCapturedUnixNanos());
      }
    }
    events.add(
        new Event(Event.Type.DELETE, tombstone.setKey(key).setModRevision(revision).build(), prev));
    return prev;
  }

  private void detachLease(KeyValue kv) {
    Lease lease = leases.get(kv.getLease());
    if (lease != null) {
      lease.keys.remove(kv.getKey());
    }
  }

  private static String mapOf(ByteString key) {
    return KeyLayout.parseEntryKey(key).map(KeyLayout.EntryKey::map).orElse(null);
  }

  private void adjustCount(ByteString key, String map, int delta) {
    if (map != null) {
      entryCounts.merge(map, delta, Integer::sum);
      return;
    }
    KeyLayout.parseEntryKey(key).ifPresent(e -> entryCounts.merge(e.map(), delta, Integer::sum));
  }

  void clear() {
    byKey.clear();
    ordered.clear();
    specs.clear();
    entryCounts.clear();
    leases.clear();
    origins.clear();
    lru.clear();
    idle.clear();
  }
}
