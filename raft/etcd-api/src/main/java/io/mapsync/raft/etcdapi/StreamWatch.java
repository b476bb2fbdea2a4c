package io.mapsync.raft.etcdapi;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.mapsync.store.RevisionEvents;
import io.mapsync.store.StoreException;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * One watch of a watch stream: a cursor over this member's replica, its filters and flags.
 *
 * <p>Slow clients: when the stream's send buffer is full the watch does not queue more; it closes
 * its store watch and remembers the next revision it owes. When the client catches up the stream
 * re-registers it from that revision, and the replica's history replays what was missed (or, if
 * that history is gone by then, the client is told "compacted" and resyncs, as etcd does with a
 * watcher that falls too far behind). Memory per stream stays bounded by the send buffer.
 *
 * <p>Lock order: this watch, then its session's send lock; never the other way round.
 */
final class StreamWatch {
  private final WatchSession session;
  private final long id;
  private final ByteString key;
  private final ByteString rangeEnd;
  private final boolean prevKv;
  private final boolean noPut;
  private final boolean noDelete;
  private final boolean progressNotify;

  // Guarded by this.
  private long next;
  private Watch registration;
  private int generation;
  private boolean paused;
  private boolean closed;
  private boolean sentSinceTick;

  StreamWatch(
      WatchSession session,
      long id,
      ByteString key,
      ByteString rangeEnd,
      long from,
      boolean prevKv,
      boolean noPut,
      boolean noDelete,
      boolean progressNotify) {
    this.session = session;
    this.id = id;
    this.key = key;
    this.rangeEnd = rangeEnd;
    this.next = from;
    this.prevKv = prevKv;
    this.noPut = noPut;
    this.noDelete = noDelete;
    this.progressNotify = progressNotify;
  }

  long id() {
    return id;
  }

  synchronized void start() {
    register();
  }

  private void register() {
    int current = ++generation;
    registration =
        session.local().watch(new WatchRequest(key, rangeEnd, next, prevKv), new Listener(current));
  }

  synchronized void close() {
    closed = true;
    if (registration != null) {
      registration.close();
    }
  }

  /** Called when the stream can take more: a paused watch continues from the revision it owes. */
  synchronized void resumeIfPaused() {
    if (paused && !closed) {
      paused = false;
      register();
    }
  }

  /**
   * The revision up to which this watch has sent everything, or -1 once it is closed. Never past
   * the replica's revision: a watch that starts in the future has vacuously sent everything up to
   * now, not up to its start.
   */
  synchronized long progressRevision() {
    if (closed) {
      return -1;
    }
    // The store cursor moves past revisions that had nothing for this watch; it only moves past
    // one that had something after the listener below has sent it.
    long cursor =
        paused || registration == null ? next : Math.max(next, registration.nextRevision());
    return Math.min(cursor - 1, session.local().revision());
  }

  /** The periodic progress_notify: only for a watch that asked, and only when it was quiet. */
  synchronized void periodicProgress() {
    if (!progressNotify || closed) {
      return;
    }
    if (sentSinceTick) {
      sentSinceTick = false;
      return;
    }
    session.sendProgress(this, progressRevision());
  }

  /** True while the watch may still send; checked by the session under its send lock. */
  synchronized boolean open() {
    return !closed;
  }

  private List<Event> toEtcd(RevisionEvents revision) {
    List<Event> out = new ArrayList<>(revision.events().size());
    for (io.mapsync.store.Event e : revision.events()) {
      boolean put = e.type() == io.mapsync.store.Event.Type.PUT;
      if ((put && noPut) || (!put && noDelete)) {
        continue;
      }
      Event.Builder event =
          Event.newBuilder()
              .setType(put ? Event.EventType.PUT : Event.EventType.DELETE)
              .setKv(KvTranslator.kv(e.kv()));
      if (prevKv && e.prevKv() != null) {
        event.setPrevKv(KvTranslator.kv(e.prevKv()));
      }
      out.add(event.build());
    }
    return out;
  }

  /** The store listener of one registration; calls for an older registration are ignored. */
  private final class Listener implements WatchListener {
    private final int registered;

    Listener(int registered) {
      this.registered = registered;
    }

    private boolean stale() {
      return registered != generation || closed || paused;
    }

    @Override
    public void onRevision(RevisionEvents revision) {
      synchronized (StreamWatch.this) {
        if (stale()) {
          return;
        }
        List<Event> events = toEtcd(revision);
        if (!events.isEmpty()) {
          if (!session.ready()) {
            pause();
            return;
          }
          session.sendEvents(StreamWatch.this, revision.revision(), events);
          sentSinceTick = true;
        }
        next = revision.revision() + 1;
      }
    }

    /** Holds the lock. `next` still names the unsent revision, so a resume replays it. */
    private void pause() {
      paused = true;
      registration.close();
      session.paused();
      // The stream may have drained between the check and now, and its ready callback found
      // nothing paused; look once more so the watch cannot stall.
      if (session.ready()) {
        paused = false;
        register();
      }
    }

    @Override
    public void onCompacted(long compactRevision) {
      synchronized (StreamWatch.this) {
        if (stale()) {
          return;
        }
        closed = true;
      }
      session.compacted(StreamWatch.this, compactRevision);
    }

    @Override
    public void onError(StoreException error) {
      synchronized (StreamWatch.this) {
        if (stale()) {
          return;
        }
        closed = true;
      }
      session.failed(StreamWatch.this, error);
    }
  }
}
