package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import io.mapsync.store.Event;
import io.mapsync.wire.ApplyResult;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.DeltaRejection;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.MapDelta;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.RegisterMap;
import java.util.List;

/**
 * Folds map deltas and map registrations into the key space. Every check here is deterministic (it
 * depends only on the state and the entry), so every replica accepts and rejects the same deltas.
 */
final class DeltaApplier {
  private final KeySpace space;

  DeltaApplier(KeySpace space) {
    this.space = space;
  }

  ApplyResult applyBatch(DeltaBatch batch, long revision, List<Event> events) {
    ApplyResult.Builder result = ApplyResult.newBuilder().setRevision(revision);
    boolean deduplicated = !batch.getOrigin().isEmpty() && batch.getBatchSeq() != 0;
    if (deduplicated) {
      var seen = space.origins.seen(batch.getOrigin(), batch.getBatchSeq());
      if (seen != null) {
        return result.setRevision(seen.getRevision()).setDuplicate(true).build();
      }
    }
    for (int i = 0; i < batch.getDeltasCount(); i++) {
      MapDelta delta = batch.getDeltas(i);
      DeltaRejection rejection = applyDelta(i, delta, revision, events);
      if (rejection != null) {
        result.addRejections(rejection);
      }
    }
    if (deduplicated) {
      space.origins.record(batch.getOrigin(), batch.getBatchSeq(), revision);
    }
    return result.build();
  }

  private DeltaRejection applyDelta(int index, MapDelta delta, long revision, List<Event> events) {
    MapSpec spec = space.specs.get(delta.getMap());
    if (spec == null) {
      return reject(
          index,
          DeltaRejection.Reason.UNKNOWN_MAP,
          "map '" + delta.getMap() + "' is not registered");
    }
    DeltaRejection bad =
        MapValidation.check(index, spec, delta.getOp(), delta.getKey(), delta.getValue());
    if (bad != null) {
      return bad;
    }
    ByteString key = KeyLayout.entryKey(spec.getName(), delta.getKey());
    if (delta.getOp() == MapDelta.Op.DELETE) {
      space.delete(
          key,
          revision,
          events,
          KeyValue.newBuilder()
              .setOrigin(delta.getOrigin())
              .setOriginSeq(delta.getOriginSeq())
              .setCapturedUnixNanos(delta.getCapturedUnixNanos()),
          spec.getName());
      return null;
    }
    if (isFull(spec) && !space.contains(key)) {
      return reject(
          index,
          DeltaRejection.Reason.MAP_FULL,
          "map '"
              + spec.getName()
              + "' is full ("
              + spec.getMaxEntries()
              + " entries); delete entries or raise max_entries");
    }
    KeyValue.Builder kv =
        KeyValue.newBuilder()
            .setValue(delta.getValue())
            .setOrigin(delta.getOrigin())
            .setOriginSeq(delta.getOriginSeq())
            .setCapturedUnixNanos(delta.getCapturedUnixNanos());
    space.put(key, kv, revision, events, spec.getName());
    evictBeyondMaxEntries(spec, revision, events);
    expireIdle(spec, delta.getCapturedUnixNanos(), revision, events);
    return null;
  }

  /**
   * Entries of a map with an idle TTL whose last write was captured more than the TTL before this
   * write leave the store, as deletes at this revision (like an LRU eviction). The clock is the
   * capture time in the log, so every replica expires the same keys; a write without a capture time
   * expires nothing.
   */
  private void expireIdle(MapSpec spec, long capturedNanos, long revision, List<Event> events) {
    String map = spec.getName();
    if (capturedNanos <= 0 || !space.idle.tracks(map)) {
      return;
    }
    long before = capturedNanos - spec.getIdleTtlMillis() * 1_000_000L;
    for (ByteString idle = space.idle.idleBefore(map, before);
        idle != null;
        idle = space.idle.idleBefore(map, before)) {
      space.delete(idle, revision, events, KeyValue.newBuilder(), map);
    }
  }

  /**
   * An LRU map over its max_entries loses its least recently written entries, as deletes at this
   * revision (watchers and every agent see them like any delete): the kernel map cannot hold more
   * either, and the store must not grow with every flow ever seen.
   */
  private void evictBeyondMaxEntries(MapSpec spec, long revision, List<Event> events) {
    String map = spec.getName();
    if (!space.lru.tracks(map)) {
      return;
    }
    while (space.entryCount(map) > spec.getMaxEntries()) {
      ByteString oldest = space.lru.oldest(map);
      if (oldest == null) {
        return;
      }
      space.delete(oldest, revision, events, KeyValue.newBuilder(), map);
    }
  }

  /** LRU maps evict on their own, so the store never refuses them for being full. */
  private boolean isFull(MapSpec spec) {
    return !LruBounds.evicting(spec)
        && spec.getMaxEntries() > 0
        && space.entryCount(spec.getName()) >= spec.getMaxEntries();
  }

  ApplyResult register(RegisterMap register, long revision, List<Event> events) {
    ApplyResult.Builder result = ApplyResult.newBuilder().setRevision(revision);
    MapSpec spec = register.getSpec();
    String problem = MapValidation.checkSpec(spec);
    if (problem != null) {
      return result.setError(problem).build();
    }
    MapSpec existing = space.specs.get(spec.getName());
    if (existing != null) {
      if (!existing.equals(spec)) {
        return result
            .setError(
                "map '"
                    + spec.getName()
                    + "' is already registered with a different spec: "
                    + MapValidation.describe(existing)
                    + " (asked: "
                    + MapValidation.describe(spec)
                    + ")")
            .build();
      }
      return result.build();
    }
    space.specs.put(spec.getName(), spec);
    space.lru.register(spec);
    space.idle.register(spec);
    space.put(
        KeyLayout.specKey(spec.getName()),
        KeyValue.newBuilder().setValue(spec.toByteString()),
        revision,
        events);
    return result.build();
  }

  static DeltaRejection reject(int index, DeltaRejection.Reason reason, String message) {
    return DeltaRejection.newBuilder()
        .setIndex(index)
        .setReason(reason)
        .setMessage(message)
        .build();
  }
}
