package io.mapsync.store.state;

import io.mapsync.store.Event;
import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.RevisionEvents;
import io.mapsync.store.StoreException;
import io.mapsync.store.StoredEntry;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import io.mapsync.wire.ApplyResult;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.LogEntry;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.RangeResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One replica's copy of the store: the fold of the committed log, its recent history and its
 * watchers. A backend feeds it committed entries in log order through {@link #apply}; everything
 * else reads. Apply is single-threaded; reads take a read lock so a multi-key read sees one
 * revision.
 */
public final class ReplicaState {
  private final KeySpace space = new KeySpace();
  private final RevisionHistory history;
  private final WatchHub hub;
  private final RangeReader reader;
  private final DeltaApplier deltas;
  private final TxnApplier txns;
  private final LeaseApplier leases;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile long revision;
  private final java.util.List<java.util.function.Consumer<StoreException>> failureListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile StoreException failure;

  /**
   * @param historyBytes how much recent history to keep for watches and past reads
   * @param watchExecutor where watch listeners are called
   */
  public ReplicaState(long historyBytes, Executor watchExecutor) {
    this.history = new RevisionHistory(historyBytes);
    this.hub = new WatchHub(history, () -> revision, watchExecutor);
    this.reader = new RangeReader(space, history);
    this.deltas = new DeltaApplier(space);
    this.txns = new TxnApplier(space, reader);
    this.leases = new LeaseApplier(space);
  }

  /** Applies one committed entry at its revision (log position). Never throws for bad entries. */
  public ApplyResult apply(LogEntry entry, long atRevision) {
    List<Event> events = new ArrayList<>();
    ApplyResult result;
    lock.writeLock().lock();
    try {
      if (atRevision <= revision) {
        throw new IllegalStateException(
            "revision " + atRevision + " applied out of order (at " + revision + ")");
      }
      result = applyLocked(entry, atRevision, events);
      history.append(new RevisionEvents(atRevision, events));
      revision = atRevision;
    } finally {
      lock.writeLock().unlock();
    }
    hub.wakeAll();
    return result;
  }

  private ApplyResult applyLocked(LogEntry entry, long rev, List<Event> events) {
    ApplyResult ok = ApplyResult.newBuilder().setRevision(rev).build();
    return switch (entry.getOpCase()) {
      case DELTAS -> deltas.applyBatch(entry.getDeltas(), rev, events);
      case REGISTER_MAP -> deltas.register(entry.getRegisterMap(), rev, events);
      case TXN -> {
        try {
          yield ok.toBuilder().setTxn(txns.apply(entry.getTxn(), rev, events)).build();
        } catch (TxnApplier.TxnRefused | StoreException e) {
          events.clear();
          yield ok.toBuilder().setError(e.getMessage()).build();
        }
      }
      case COMPACT -> {
        if (entry.getCompact().getRevision() > rev) {
          yield ok.toBuilder()
              .setError("cannot compact to future revision " + entry.getCompact().getRevision())
              .build();
        }
        history.compactTo(entry.getCompact().getRevision());
        yield ok;
      }
      case LEASE_GRANT -> leases.grant(entry.getLeaseGrant(), rev);
      case LEASE_REVOKE -> leases.revoke(entry.getLeaseRevoke(), rev, events);
      default -> ok.toBuilder().setError("log entry without an operation").build();
    };
  }

  /**
   * Moves the revision past a log entry that carries no state change (leader no-op, membership).
   */
  public void skipTo(long atRevision) {
    lock.writeLock().lock();
    try {
      if (atRevision > revision) {
        revision = atRevision;
      }
    } finally {
      lock.writeLock().unlock();
    }
    hub.wakeAll();
  }

  public long revision() {
    return revision;
  }

  public long compactRevision() {
    return history.compactRevision();
  }

  /** A rough size in bytes of the keys plus the history held (what etcd calls its db size). */
  public long approximateBytes() {
    lock.readLock().lock();
    try {
      long bytes = history.bytes();
      for (KeyValue kv : space.all()) {
        bytes += kv.getSerializedSize();
      }
      return bytes;
    } finally {
      lock.readLock().unlock();
    }
  }

  public RangeResult range(KvRange range) {
    lock.readLock().lock();
    try {
      return reader.read(range, revision);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * A consistent copy of the given maps (all when empty) at the current revision. Only the
   * (immutable) entries are collected under the lock; parsing their keys happens after it, so a
   * whole-map read holds up the log's apply thread for as short a time as possible.
   */
  public MapsSnapshot readMaps(Collection<String> maps) {
    Map<String, MapSpec> specs = new TreeMap<>();
    Map<String, List<KeyValue>> raw = new LinkedHashMap<>();
    long at;
    lock.readLock().lock();
    try {
      Collection<String> names = maps.isEmpty() ? new ArrayList<>(space.specs.keySet()) : maps;
      for (String name : names) {
        MapSpec spec = space.specs.get(name);
        if (spec == null) {
          continue;
        }
        specs.put(name, spec);
        List<KeyValue> list = new ArrayList<>(space.entryCount(name));
        var prefix = KeyLayout.mapPrefix(name);
        for (KeyValue kv : space.range(prefix, io.mapsync.store.KeyRanges.prefixEnd(prefix))) {
          list.add(kv);
        }
        raw.put(name, list);
      }
      at = revision;
    } finally {
      lock.readLock().unlock();
    }
    Map<String, List<StoredEntry>> entries = new LinkedHashMap<>();
    raw.forEach(
        (name, list) -> {
          // Every key here is under the map's prefix: only its hex tail needs decoding.
          int prefixSize = KeyLayout.mapPrefix(name).size();
          List<StoredEntry> parsed = new ArrayList<>(list.size());
          for (KeyValue kv : list) {
            var rawKey = KeyLayout.rawKeyAfter(kv.getKey(), prefixSize);
            if (rawKey != null) {
              parsed.add(
                  new StoredEntry(
                      rawKey,
                      kv.getValue(),
                      kv.getModRevision(),
                      kv.getOrigin(),
                      kv.getOriginSeq()));
            }
          }
          entries.put(name, parsed);
        });
    return new MapsSnapshot(at, specs, entries);
  }

  public Map<String, MapSpec> specs() {
    lock.readLock().lock();
    try {
      return Map.copyOf(space.specs);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Lease id to TTL seconds, for the leases that exist. */
  public Map<Long, Long> leases() {
    lock.readLock().lock();
    try {
      Map<Long, Long> out = new TreeMap<>();
      space.leases.forEach((id, lease) -> out.put(id, lease.ttlSeconds));
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The keys attached to a lease (empty if it does not exist). */
  public List<com.google.protobuf.ByteString> leaseKeys(long id) {
    lock.readLock().lock();
    try {
      KeySpace.Lease lease = space.leases.get(id);
      return lease == null ? List.of() : List.copyOf(lease.keys);
    } finally {
      lock.readLock().unlock();
    }
  }

  public Watch watch(WatchRequest request, WatchListener listener) {
    return hub.register(request, listener);
  }

  public int watchCount() {
    return hub.size();
  }

  /**
   * Writes the whole state as of one revision. The lock is held only to cut the state (copying
   * references to the immutable entries, ~ one array copy); serializing and writing happen after
   * it, so applies go on meanwhile (a million entries held them up ≈ 0.5 s before).
   */
  public void writeSnapshot(OutputStream out, long term) throws IOException {
    SnapshotCodec.Cut cut;
    long at;
    long compacted;
    lock.readLock().lock();
    try {
      cut = SnapshotCodec.cut(space);
      at = revision;
      compacted = history.compactRevision();
    } finally {
      lock.readLock().unlock();
    }
    SnapshotCodec.write(cut, at, term, compacted, out);
  }

  /**
   * Replaces the whole state with a snapshot (never merges). Watchers that had not reached its
   * revision cannot continue gaplessly across it, so each is told "compacted" and resyncs.
   *
   * @return the snapshot's revision
   */
  public long restoreSnapshot(InputStream in) throws IOException {
    long restored;
    lock.writeLock().lock();
    try {
      KeySpace incoming = new KeySpace();
      SnapshotCodec.Header header = SnapshotCodec.read(incoming, in);
      space.clear();
      space.takeOver(incoming);
      space.specs.putAll(incoming.specs);
      space.entryCounts.putAll(incoming.entryCounts);
      space.leases.putAll(incoming.leases);
      incoming.origins.all().forEach(space.origins::restore);
      history.resetTo(header.revision());
      revision = header.revision();
      restored = header.revision();
    } finally {
      lock.writeLock().unlock();
    }
    hub.wakeAll();
    return restored;
  }

  /** Ends every watch with the given reason. */
  public void close(StoreException reason) {
    hub.closeAll(reason);
  }

  /**
   * The backend can no longer keep this replica (its storage failed): every watch ends with the
   * reason and the listeners are told, once, so the process can stop with the reason instead of
   * running on without a log.
   */
  public void fail(StoreException reason) {
    synchronized (failureListeners) {
      if (failure != null) {
        return;
      }
      failure = reason;
    }
    hub.closeAll(reason);
    failureListeners.forEach(l -> l.accept(reason));
  }

  /** Called once if {@link #fail} is; at once if it already was. */
  public void onFailure(java.util.function.Consumer<StoreException> listener) {
    synchronized (failureListeners) {
      if (failure == null) {
        failureListeners.add(listener);
        return;
      }
    }
    listener.accept(failure);
  }
}
