package io.mapsync.raft.ratis;

import io.mapsync.store.StoreException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Futures that complete once the local replica has applied a given log index: the second half of a
 * read barrier (the leader names an index, we wait until this member is there) and of appends that
 * promise the result is visible locally.
 */
final class AppliedIndexWaiters {
  private final ConcurrentSkipListMap<Long, CompletableFuture<Long>> waiting =
      new ConcurrentSkipListMap<>();
  private volatile long applied;
  private volatile StoreException closed;

  /** Completes with the applied index once it is at least {@code index}. */
  CompletableFuture<Long> await(long index) {
    if (closed != null) {
      return CompletableFuture.failedFuture(closed);
    }
    if (applied >= index) {
      return CompletableFuture.completedFuture(applied);
    }
    CompletableFuture<Long> f = waiting.computeIfAbsent(index, i -> new CompletableFuture<>());
    // advance() may have run between the check above and the insertion: check again.
    if (applied >= index) {
      complete(applied);
    }
    return f;
  }

  /** Called by the apply thread after each applied index (entries, no-ops, snapshots). */
  void advance(long index) {
    applied = index;
    if (!waiting.isEmpty()) {
      complete(index);
    }
  }

  long applied() {
    return applied;
  }

  private void complete(long index) {
    for (Map.Entry<Long, CompletableFuture<Long>> e;
        (e = waiting.firstEntry()) != null && e.getKey() <= index; ) {
      if (waiting.remove(e.getKey(), e.getValue())) {
        e.getValue().complete(index);
      }
    }
  }

  /** Fails every waiter and every later call. */
  void close(StoreException reason) {
    closed = reason;
    waiting.values().forEach(f -> f.completeExceptionally(reason));
    waiting.clear();
  }
}
