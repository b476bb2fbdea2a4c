package io.mapsync.raft.ratis;

import io.mapsync.store.StoreException;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.state.ReplicaState;
import java.util.concurrent.CompletableFuture;

/**
 * A watch on the local replica that starts only once this member has applied a given revision.
 *
 * <p>Why: a write through a follower completes when the leader has applied it, possibly before the
 * follower has. A caller that writes and then watches must see the state its own writes made (a
 * compaction it asked for, a key it wrote), so the watch waits for the local replica to catch up.
 */
final class CatchUpWatch implements Watch {
  private final WatchRequest request;
  private final long waitFor;
  private Watch inner;
  private boolean closed;

  private CatchUpWatch(WatchRequest request, long waitFor) {
    this.request = request;
    this.waitFor = waitFor;
  }

  /** Registers the watch now if the replica is far enough, else as soon as it gets there. */
  static Watch start(
      ReplicaState state,
      CompletableFuture<Long> caughtUp,
      long waitFor,
      WatchRequest request,
      WatchListener listener) {
    if (caughtUp.isDone() && !caughtUp.isCompletedExceptionally()) {
      return state.watch(request, listener);
    }
    CatchUpWatch w = new CatchUpWatch(request, waitFor);
    caughtUp.whenComplete(
        (revision, failure) -> {
          if (failure != null) {
            listener.onError(
                failure instanceof StoreException se
                    ? se
                    : new StoreException(
                        StoreException.Reason.CLOSED,
                        "watch ended: " + failure.getMessage(),
                        failure));
            return;
          }
          synchronized (w) {
            if (!w.closed) {
              w.inner = state.watch(request, listener);
            }
          }
        });
    return w;
  }

  @Override
  public synchronized long nextRevision() {
    if (inner != null) {
      return inner.nextRevision();
    }
    return request.fromRevision() > 0 ? request.fromRevision() : waitFor + 1;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (inner != null) {
      inner.close();
    }
  }
}
