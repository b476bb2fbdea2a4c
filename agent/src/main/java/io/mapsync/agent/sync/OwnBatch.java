package io.mapsync.agent.sync;

import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.MapDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A batch of this agent's captured deltas on its way into the log. It is first open (collecting
 * deltas), then in flight, then committed at a revision (or failed). The apply loop asks it where
 * it stands in the log relative to a remote delta.
 */
final class OwnBatch {
  /** Where a batch is. */
  enum State {
    OPEN,
    IN_FLIGHT,
    COMMITTED,
    FAILED
  }

  /**
   * Sorts after every committed revision: an open batch commits after anything already committed.
   */
  static final long NOT_YET = Long.MAX_VALUE;

  /** Sorts before every revision: a failed batch never reaches the log. */
  static final long NEVER = Long.MIN_VALUE;

  final long batchSeq;
  final List<MapDelta> deltas = new ArrayList<>();
  final List<PendingWrite> writes = new ArrayList<>();

  /** Where each key's delta sits in this batch: a later change of the key replaces it. */
  private final java.util.Map<MapKey, Integer> positions = new java.util.HashMap<>();

  final long openedNanos = System.nanoTime();
  private final CompletableFuture<Long> revision = new CompletableFuture<>();
  private volatile State state = State.OPEN;

  OwnBatch(long batchSeq) {
    this.batchSeq = batchSeq;
  }

  /**
   * Adds a delta, or replaces this batch's earlier delta of the same key. One entry then changes a
   * key at most once, so every revision has one value per key, as etcd's model (and its watchers)
   * expect.
   */
  void put(MapDelta delta, PendingWrite write) {
    Integer at = positions.putIfAbsent(write.key, deltas.size());
    if (at == null) {
      deltas.add(delta);
      writes.add(write);
    } else {
      deltas.set(at, delta);
      writes.set(at, write);
    }
  }

  State state() {
    return state;
  }

  void markInFlight() {
    state = State.IN_FLIGHT;
  }

  void committed(long rev) {
    state = State.COMMITTED;
    revision.complete(rev);
  }

  void failed(Throwable why) {
    state = State.FAILED;
    revision.completeExceptionally(why);
  }

  /** The revision this batch is (or will be) committed at, waiting for it if it is in flight. */
  long revisionAwaiting(long timeoutMillis) throws TimeoutException, InterruptedException {
    State s = state;
    if (s == State.OPEN) {
      return NOT_YET;
    }
    try {
      return revision.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return NEVER;
    }
  }

  /** The committed revision if known now, else {@link #NOT_YET} (or {@link #NEVER} if failed). */
  long revisionIfKnown() {
    if (revision.isCompletedExceptionally()) {
      return NEVER;
    }
    Long r = revision.getNow(null);
    return r == null ? NOT_YET : r;
  }

  DeltaBatch toProto(String origin) {
    return DeltaBatch.newBuilder()
        .setOrigin(origin)
        .setBatchSeq(batchSeq)
        .addAllDeltas(deltas)
        .build();
  }
}
