package io.mapsync.agent.sync;

import com.google.protobuf.ByteString;
import io.mapsync.store.Event;
import io.mapsync.store.RevisionEvents;
import io.mapsync.store.StoreException;
import io.mapsync.store.WatchListener;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.KeyValue;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies committed deltas to the local maps in log order. Its own deltas are never re-applied
 * (they are in the maps already); a remote delta is skipped when a newer local write of the same
 * key is pending, because that write lands later in the log and wins everywhere.
 */
final class ApplyLoop implements WatchListener {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyLoop.class);
  private static final long AWAIT_OWN_BATCH_MILLIS = 10_000;

  private final String origin;
  private final Map<String, LocalMap> maps;
  private final PendingWrites pending;
  private final DeltaBatcher batcher;
  private final SyncMetrics metrics;
  private final Clock clock;
  private final Consumer<String> onLostWatch;
  private volatile long appliedRevision;

  /**
   * Per map that evicts locally: when this loop last wrote a remote value into it (CLOCK_MONOTONIC,
   * the capture clock). A kernel LRU map makes room for that value by evicting what it holds
   * longest, which can be an own write the log orders after the remote one (its capture overtook
   * older remote deltas still on their way); such a write is written back once it settles.
   */
  private final Map<String, Long> lastRemoteWrite = new ConcurrentHashMap<>();

  /** While anti-entropy compares without the apply lock: every key this loop writes meanwhile. */
  private volatile Set<MapKey> changedKeys;

  ApplyLoop(
      String origin,
      Map<String, LocalMap> maps,
      PendingWrites pending,
      DeltaBatcher batcher,
      SyncMetrics metrics,
      Clock clock,
      Consumer<String> onLostWatch) {
    this.origin = origin;
    this.maps = maps;
    this.pending = pending;
    this.batcher = batcher;
    this.metrics = metrics;
    this.clock = clock;
    this.onLostWatch = onLostWatch;
  }

  long appliedRevision() {
    return appliedRevision;
  }

  /**
   * From now until {@link #stopRecordingChanges}, every key this loop writes or skips as its own is
   * added to the returned set: the keys whose store value may have moved past a snapshot.
   */
  Set<MapKey> recordChanges() {
    Set<MapKey> keys = ConcurrentHashMap.newKeySet();
    changedKeys = keys;
    return keys;
  }

  void stopRecordingChanges() {
    changedKeys = null;
  }

  private void recordChange(MapKey key) {
    Set<MapKey> keys = changedKeys;
    if (keys != null) {
      keys.add(key);
    }
  }

  void resetTo(long revision) {
    appliedRevision = revision;
    metrics.appliedRevision(revision);
  }

  @Override
  public void onRevision(RevisionEvents revision) {
    settleBefore(revision.revision());
    for (Event e : revision.events()) {
      apply(e, revision.revision());
    }
    advance(revision.revision());
    // Everything up to this revision is applied: own batches committed at it are settled too (the
    // etcd backend sends no progress notifications to do it later).
    settleBefore(revision.revision() + 1);
  }

  @Override
  public void onProgress(long revision) {
    settleBefore(revision + 1);
    advance(revision);
  }

  @Override
  public void onCompacted(long compactRevision) {
    onLostWatch.accept("the store compacted its history past revision " + compactRevision);
  }

  @Override
  public void onError(StoreException error) {
    onLostWatch.accept(error.getMessage());
  }

  private void advance(long revision) {
    if (revision > appliedRevision) {
      appliedRevision = revision;
      metrics.appliedRevision(revision);
    }
    metrics.pending(pending.size());
  }

  private void apply(Event event, long revision) {
    KeyValue kv = event.kv();
    var entry = KeyLayout.parseEntryKey(kv.getKey());
    if (entry.isEmpty()) {
      return;
    }
    LocalMap map = maps.get(entry.get().map());
    if (map == null) {
      // Any writer with access to the log can name any map; only the configured ones reach the
      // kernel.
      metrics.unmanaged();
      return;
    }
    if (origin.equals(kv.getOrigin())) {
      if (changedKeys != null) {
        recordChange(new MapKey(map.name(), entry.get().rawKey()));
      }
      return;
    }
    MapKey key = new MapKey(map.name(), entry.get().rawKey());
    recordChange(key);
    Long previousMark = pending.beginLocalWrite(key);
    PendingWrite local = pending.get(key);
    if (local != null) {
      if (commitsAfter(local, revision)) {
        pending.abandonLocalWrite(key, previousMark);
        metrics.superseded(map.name());
        return;
      }
      pending.settle(local);
    }
    boolean put = event.type() == Event.Type.PUT;
    writeLocal(map, key.key(), put ? kv.getValue() : null);
    if (put && map.evictsLocally()) {
      lastRemoteWrite.put(map.name(), System.nanoTime());
    }
    pending.endLocalWrite(key);
    metrics.applied(map.name(), 1);
    if (kv.getCapturedUnixNanos() > 0) {
      Instant now = clock.instant();
      metrics.propagated(
          now.getEpochSecond() * 1_000_000_000L + now.getNano() - kv.getCapturedUnixNanos());
    }
  }

  /** True if the pending local write lands in the log after the given revision. */
  private boolean commitsAfter(PendingWrite local, long revision) {
    try {
      return local.batch.revisionAwaiting(AWAIT_OWN_BATCH_MILLIS) > revision;
    } catch (TimeoutException e) {
      // Still not committed: it will land after this revision, which is committed already.
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Settles own batches that committed at or before the revision already applied. */
  void settleApplied() {
    settleBefore(appliedRevision + 1);
  }

  /**
   * Before a snapshot at this revision replaces the maps: settles every own batch committed at or
   * before it, waiting for replies still on their way, so that their keys are not left alone as
   * pending while the snapshot already holds what the log made of them.
   */
  void settleThrough(long revision) {
    while (true) {
      OwnBatch batch = batcher.oldestUnsettled();
      if (batch == null) {
        return;
      }
      long committedAt;
      try {
        committedAt = batch.revisionAwaiting(AWAIT_OWN_BATCH_MILLIS);
      } catch (TimeoutException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (committedAt == OwnBatch.NOT_YET
          || (committedAt != OwnBatch.NEVER && committedAt > revision)) {
        return;
      }
      for (PendingWrite write : batch.writes) {
        pending.settle(write);
      }
      batcher.removeSettled(batch);
    }
  }

  /** Settles own batches committed before the given revision, oldest first. */
  private void settleBefore(long revision) {
    while (true) {
      OwnBatch batch = batcher.oldestUnsettled();
      if (batch == null) {
        return;
      }
      long committedAt = batch.revisionIfKnown();
      if (committedAt == OwnBatch.NOT_YET
          || (committedAt != OwnBatch.NEVER && committedAt >= revision)) {
        return;
      }
      for (PendingWrite write : batch.writes) {
        if (pending.settle(write)
            && committedAt != OwnBatch.NEVER
            && (write.overwrittenLocally || mayHaveBeenEvicted(write))) {
          writeBack(write);
        }
      }
      batcher.removeSettled(batch);
    }
  }

  /** A remote value went into the write's LRU map after it: the kernel may have evicted it. */
  private boolean mayHaveBeenEvicted(PendingWrite write) {
    Long last = write.value == null ? null : lastRemoteWrite.get(write.key.map());
    return last != null && last - write.captureNanos >= 0;
  }

  /**
   * The apply loop may have overwritten (or, in an LRU map, made the kernel evict) this local write
   * before its capture reached us; now that it is committed as the latest value of its key, the map
   * gets it back.
   */
  private void writeBack(PendingWrite write) {
    LocalMap map = maps.get(write.key.map());
    recordChange(write.key);
    Long previousMark = pending.beginLocalWrite(write.key);
    if (pending.get(write.key) != null) {
      pending.abandonLocalWrite(write.key, previousMark);
      return;
    }
    writeLocal(map, write.key.key(), write.value);
    pending.endLocalWrite(write.key);
    LOG.debug(
        "wrote back own committed value of a key in map '{}' overwritten or evicted by a remote"
            + " delta",
        map.name());
  }

  private void writeLocal(LocalMap map, ByteString key, ByteString value) {
    try {
      if (value == null) {
        map.delete(key);
      } else {
        map.write(key, value);
      }
    } catch (LocalWriteException e) {
      metrics.rejected(map.name(), e.kind().name());
      LOG.warn("could not apply a delta to map '{}': {}", map.name(), e.getMessage());
    }
  }
}
