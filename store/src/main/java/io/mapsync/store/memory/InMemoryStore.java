package io.mapsync.store.memory;

import io.mapsync.store.ClusterStatus;
import io.mapsync.store.Commit;
import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.MemberStatus;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.wire.ApplyResult;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.LogEntry;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.RangeResult;
import io.mapsync.wire.RegisterMap;
import io.mapsync.wire.TxnResult;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A single-process store with no replication and no disk, for unit tests of the layers above the
 * SPI. It folds entries through the same {@link ReplicaState} as the real backends, so semantics
 * match; only durability and consensus are missing.
 */
public final class InMemoryStore implements StateStore {
  private final ExecutorService watchExecutor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "memory-store-watch");
            t.setDaemon(true);
            return t;
          });
  private final ReplicaState state;
  private long nextRevision = 1;
  private volatile boolean closed;

  public InMemoryStore() {
    this(64L << 20);
  }

  public InMemoryStore(long historyBytes) {
    this.state = new ReplicaState(historyBytes, watchExecutor);
  }

  private synchronized ApplyResult append(LogEntry entry) {
    if (closed) {
      throw new StoreException(StoreException.Reason.CLOSED, "in-memory store is closed");
    }
    return state.apply(entry, nextRevision++);
  }

  private CompletableFuture<ApplyResult> submit(LogEntry entry) {
    try {
      ApplyResult result = append(entry);
      if (!result.getError().isEmpty()) {
        return CompletableFuture.failedFuture(
            new StoreException(StoreException.Reason.REJECTED, result.getError()));
      }
      return CompletableFuture.completedFuture(result);
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Commit toCommit(ApplyResult r) {
    return new Commit(r.getRevision(), r.getRejectionsList(), r.getDuplicate());
  }

  @Override
  public CompletableFuture<Commit> propose(DeltaBatch batch) {
    return submit(LogEntry.newBuilder().setDeltas(batch).build())
        .thenApply(InMemoryStore::toCommit);
  }

  @Override
  public CompletableFuture<Commit> registerMap(MapSpec spec) {
    return submit(
            LogEntry.newBuilder().setRegisterMap(RegisterMap.newBuilder().setSpec(spec)).build())
        .thenApply(InMemoryStore::toCommit);
  }

  @Override
  public CompletableFuture<TxnResult> txn(KvTxn txn) {
    return submit(LogEntry.newBuilder().setTxn(txn).build()).thenApply(ApplyResult::getTxn);
  }

  /** Appends any entry, as a backend's log would; for tests of compaction and leases. */
  public CompletableFuture<ApplyResult> append(LogEntry.Builder entry) {
    return submit(entry.build());
  }

  @Override
  public CompletableFuture<RangeResult> range(KvRange range) {
    try {
      return CompletableFuture.completedFuture(state.range(range));
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<MapsSnapshot> readMaps(Collection<String> maps) {
    return CompletableFuture.completedFuture(state.readMaps(maps));
  }

  @Override
  public CompletableFuture<Void> compact(long revision) {
    return submit(
            LogEntry.newBuilder()
                .setCompact(io.mapsync.wire.Compact.newBuilder().setRevision(revision))
                .build())
        .thenApply(r -> null);
  }

  @Override
  public Watch watch(WatchRequest request, WatchListener listener) {
    return state.watch(request, listener);
  }

  @Override
  public CompletableFuture<ClusterStatus> status() {
    long rev = state.revision();
    return CompletableFuture.completedFuture(
        new ClusterStatus(
            "memory",
            "local",
            1,
            List.of(new MemberStatus("local", "in-process", "LEADER", 1, rev, rev, 0))));
  }

  public ReplicaState state() {
    return state;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    state.close(new StoreException(StoreException.Reason.CLOSED, "in-memory store is closed"));
    watchExecutor.shutdown();
  }
}
