package io.mapsync.store;

import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.RangeResult;
import io.mapsync.wire.TxnResult;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * The replicated, linearizable log of map deltas and the state it folds into. Every backend
 * (embedded Ratis, external etcd, in-memory) implements it; nothing above this interface knows
 * which one runs.
 *
 * <p>Futures fail with {@link StoreException} carrying a typed reason.
 */
public interface StateStore extends AutoCloseable {

  /**
   * Appends a batch of deltas; completes once it is committed, with its revision and rejections.
   */
  CompletableFuture<Commit> propose(DeltaBatch batch);

  /** Registers a map; identical specs are accepted again, a different spec is REJECTED. */
  CompletableFuture<Commit> registerMap(MapSpec spec);

  /** A compare-and-swap transaction over the key space (the etcd model). */
  CompletableFuture<TxnResult> txn(KvTxn txn);

  /** A linearizable read of a key range. */
  CompletableFuture<RangeResult> range(KvRange range);

  /** A linearizable, consistent copy of the given maps (all maps when empty) at one revision. */
  CompletableFuture<MapsSnapshot> readMaps(Collection<String> maps);

  /** Forgets history up to a revision: later watches or reads before it are told "compacted". */
  CompletableFuture<Void> compact(long revision);

  /** Starts delivering committed changes matching the request, from its revision on, in order. */
  Watch watch(WatchRequest request, WatchListener listener);

  /** Leader, term and per-member progress. */
  CompletableFuture<ClusterStatus> status();

  @Override
  void close();
}
