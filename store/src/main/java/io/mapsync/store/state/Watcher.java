package io.mapsync.store.state;

import io.mapsync.store.Event;
import io.mapsync.store.RevisionEvents;
import io.mapsync.store.StoreException;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: a cursor into the history plus a listener. Drains run on the hub's executor, at most
 * one at a time per watcher, so the listener sees revisions strictly in order.
 */
final class Watcher implements Watch {
  private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);

  private final WatchHub hub;
  private final WatchRequest request;
  private final WatchListener listener;
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile long next;
  private volatile boolean closed;
  private long reportedProgress;
  private volatile StoreException failure;

  Watcher(WatchHub hub, WatchRequest request, WatchListener listener, long from) {
    this.hub = hub;
    this.request = request;
    this.listener = listener;
    this.next = from;
  }

  @Override
  public long nextRevision() {
    return next;
  }

  @Override
  public void close() {
    closed = true;
    hub.remove(this);
  }

  void wake() {
    if (!closed && draining.compareAndSet(false, true)) {
      hub.executor().execute(this::drain);
    }
  }

  void fail(StoreException reason) {
    failure = reason;
    wake();
  }

  private void drain() {
    try {
      do {
        if (!deliverAvailable()) {
          return;
        }
        draining.set(false);
        // A wake that raced with the end of this drain finds draining=false and schedules anew;
        // this re-check covers a revision applied between the last read and the flag reset.
      } while (!closed && hub.appliedRevision() >= next && draining.compareAndSet(false, true));
    } catch (RuntimeException e) {
      LOG.error("watch listener failed; closing the watch", e);
      close();
    }
  }

  /** Delivers what is available; false if the watch ended. */
  private boolean deliverAvailable() {
    if (closed) {
      return false;
    }
    if (failure != null) {
      close();
      listener.onError(failure);
      return false;
    }
    RevisionHistory history = hub.history();
    long target = hub.appliedRevision();
    for (RevisionEvents entry : history.from(next)) {
      if (entry.revision() > target || closed) {
        break;
      }
      if (history.compactRevision() >= next) {
        return compacted(history.compactRevision());
      }
      List<Event> matching = filter(entry);
      if (!matching.isEmpty()) {
        listener.onRevision(new RevisionEvents(entry.revision(), matching));
      }
      next = entry.revision() + 1;
    }
    if (history.compactRevision() >= next) {
      return compacted(history.compactRevision());
    }
    if (target >= next) {
      next = target + 1;
    }
    if (target > reportedProgress) {
      reportedProgress = target;
      listener.onProgress(target);
    }
    return true;
  }

  private boolean compacted(long compactRevision) {
    close();
    listener.onCompacted(compactRevision);
    return false;
  }

  private List<Event> filter(RevisionEvents entry) {
    List<Event> out = new ArrayList<>(entry.events().size());
    for (Event e : entry.events()) {
      if (request.matches(e.kv().getKey())) {
        out.add(request.prevKv() || e.prevKv() == null ? e : new Event(e.type(), e.kv(), null));
      }
    }
    return out;
  }
}
