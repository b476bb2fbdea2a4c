package io.mapsync.store.state;

import io.mapsync.store.StoreException;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Delivers committed revisions to watchers. Watchers pull from {@link RevisionHistory} at their own
 * pace: applying a revision only wakes them, so a slow watcher never slows the apply thread; one
 * that falls behind the history is told "compacted" and resyncs.
 */
final class WatchHub {
  private final RevisionHistory history;
  private final LongSupplier appliedRevision;
  private final Executor executor;
  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();

  WatchHub(RevisionHistory history, LongSupplier appliedRevision, Executor executor) {
    this.history = history;
    this.appliedRevision = appliedRevision;
    this.executor = executor;
  }

  Watch register(WatchRequest request, WatchListener listener) {
    long from =
        request.fromRevision() > 0 ? request.fromRevision() : appliedRevision.getAsLong() + 1;
    Watcher watcher = new Watcher(this, request, listener, from);
    watchers.add(watcher);
    watcher.wake();
    return watcher;
  }

  /** Called after each applied revision. */
  void wakeAll() {
    for (Watcher w : watchers) {
      w.wake();
    }
  }

  void closeAll(StoreException reason) {
    for (Watcher w : watchers) {
      w.fail(reason);
    }
  }

  int size() {
    return watchers.size();
  }

  RevisionHistory history() {
    return history;
  }

  long appliedRevision() {
    return appliedRevision.getAsLong();
  }

  Executor executor() {
    return executor;
  }

  void remove(Watcher watcher) {
    watchers.remove(watcher);
  }
}
