package io.mapsync.raft.ratis;

import io.mapsync.store.ClusterStatus;
import io.mapsync.store.Commit;
import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.state.ReplicaState;
import io.mapsync.wire.ApplyResult;
import io.mapsync.wire.Compact;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The {@link StateStore} of one embedded member. Writes go to the leader through the member's Raft
 * client (so they can be made on any member); reads pass a {@link ReadBarrier} and then read the
 * local replica; watches are served by the local replica, in the order this member applies, and
 * start once it has applied this store's own writes. Closing the store closes the member.
 */
final class RatisStore implements StateStore {
  private final RatisNode node;
  private final ReplicaState state;

  /**
   * The highest revision a write through this store reached: watches start after the replica has
   * it.
   */
  private final AtomicLong written = new AtomicLong();

  RatisStore(RatisNode node, ReplicaState state) {
    this.node = node;
    this.state = state;
  }

  @Override
  public CompletableFuture<Commit> propose(DeltaBatch batch) {
    return write("propose", LogEntry.newBuilder().setDeltas(batch).build(), RatisStore::toCommit);
  }

  @Override
  public CompletableFuture<Commit> registerMap(MapSpec spec) {
    return write(
        "register map " + spec.getName(),
        LogEntry.newBuilder().setRegisterMap(RegisterMap.newBuilder().setSpec(spec)).build(),
        RatisStore::toCommit);
  }

  @Override
  public CompletableFuture<TxnResult> txn(KvTxn txn) {
    return write("txn", LogEntry.newBuilder().setTxn(txn).build(), ApplyResult::getTxn);
  }

  @Override
  public CompletableFuture<Void> compact(long revision) {
    return write(
        "compact to " + revision,
        LogEntry.newBuilder().setCompact(Compact.newBuilder().setRevision(revision)).build(),
        r -> null);
  }

  /** A write whose entry the state refused (ApplyResult.error) fails with REJECTED. */
  private <T> CompletableFuture<T> write(
      String what, LogEntry entry, Function<ApplyResult, T> result) {
    return node.submit(what, entry)
        .thenApply(
            r -> {
              written.accumulateAndGet(r.getRevision(), Math::max);
              if (!r.getError().isEmpty()) {
                throw new StoreException(
                    StoreException.Reason.REJECTED, what + ": " + r.getError());
              }
              return result.apply(r);
            });
  }

  private static Commit toCommit(ApplyResult r) {
    return new Commit(r.getRevision(), r.getRejectionsList(), r.getDuplicate());
  }

  @Override
  public CompletableFuture<RangeResult> range(KvRange range) {
    return node.linearizable(() -> state.range(range));
  }

  @Override
  public CompletableFuture<MapsSnapshot> readMaps(Collection<String> maps) {
    List<String> names = List.copyOf(maps);
    return node.linearizable(() -> state.readMaps(names));
  }

  @Override
  public Watch watch(WatchRequest request, WatchListener listener) {
    long mine = written.get();
    return CatchUpWatch.start(state, node.awaitApplied(mine), mine, request, listener);
  }

  @Override
  public CompletableFuture<ClusterStatus> status() {
    return node.status();
  }

  @Override
  public void close() {
    node.close();
  }
}
