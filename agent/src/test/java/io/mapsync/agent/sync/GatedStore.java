package io.mapsync.agent.sync;

import io.mapsync.store.ClusterStatus;
import io.mapsync.store.Commit;
import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.StateStore;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.RangeResult;
import io.mapsync.wire.TxnResult;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/** One agent's view of a shared store, whose proposals can be held back to stage races. */
final class GatedStore implements StateStore {
  private final StateStore inner;
  final Semaphore gate = new Semaphore(Integer.MAX_VALUE);

  GatedStore(StateStore inner) {
    this.inner = inner;
  }

  void hold() {
    gate.drainPermits();
  }

  void release() {
    gate.release(Integer.MAX_VALUE / 2);
  }

  @Override
  public CompletableFuture<Commit> propose(DeltaBatch batch) {
    return CompletableFuture.runAsync(
            () -> {
              gate.acquireUninterruptibly();
              gate.release();
            })
        .thenCompose(v -> inner.propose(batch));
  }

  @Override
  public CompletableFuture<Commit> registerMap(MapSpec spec) {
    return inner.registerMap(spec);
  }

  @Override
  public CompletableFuture<TxnResult> txn(KvTxn txn) {
    return inner.txn(txn);
  }

  @Override
  public CompletableFuture<RangeResult> range(KvRange range) {
    return inner.range(range);
  }

  @Override
  public CompletableFuture<MapsSnapshot> readMaps(Collection<String> maps) {
    return inner.readMaps(maps);
  }

  @Override
  public CompletableFuture<Void> compact(long revision) {
    return inner.compact(revision);
  }

  @Override
  public Watch watch(WatchRequest request, WatchListener listener) {
    return inner.watch(request, listener);
  }

  @Override
  public CompletableFuture<ClusterStatus> status() {
    return inner.status();
  }

  @Override
  public void close() {}
}
