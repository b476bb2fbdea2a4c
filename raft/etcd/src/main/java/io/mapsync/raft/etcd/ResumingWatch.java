package io.mapsync.raft.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.mapsync.store.Event;
import io.mapsync.store.KeyRanges;
import io.mapsync.store.RevisionEvents;
import io.mapsync.store.StoreException;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch that outlives member failures. It remembers the next revision it owes its listener; when
 * the etcd stream breaks (member killed, leader lost) it opens a new one from that revision, on
 * whichever member answers, so nothing is skipped, and drops anything below it, so nothing is
 * repeated. jetcd's own resume is switched off by closing jetcd's watcher on the first error: it
 * would resume a stream that was replaying history from the revision current when the stream was
 * created, skipping the rest of the replay. A resume from a compacted revision ends the watch with
 * {@code onCompacted}.
 *
 * <p>Everything (stream callbacks, resumes, listener calls) runs on the watch's own thread, so the
 * listener sees revisions strictly in order and a slow listener does not stall jetcd's threads.
 *
 * <p>A watch over map entries also covers the origin markers ({@code /mapsync/origins/}, just after
 * {@code /mapsync/maps/} in key order): a batch's txn writes its marker at the same revision, which
 * is how its events get their origin. Keys outside the requested range are never delivered.
 * Progress notifications are not used: etcd before 3.4.24 may report progress ahead of events still
 * queued (etcd-io/etcd#15220), which would make a resume skip them.
 */
final class ResumingWatch implements Watch {
  private static final Logger LOG = LoggerFactory.getLogger(ResumingWatch.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  private final Client client;
  private final WatchRequest request;
  private final WatchListener listener;
  private final Runnable onClosed;
  private final ByteString etcdEnd;
  private final ScheduledExecutorService thread;
  private final AtomicInteger resumes = new AtomicInteger();
  private volatile long next;
  private volatile boolean closed;
  // Touched only on the watch's thread.
  private int generation;
  private io.etcd.jetcd.Watch.Watcher current;
  private int failuresInARow;

  ResumingWatch(Client client, WatchRequest request, WatchListener listener, Runnable onClosed) {
    this.client = client;
    this.request = request;
    this.listener = listener;
    this.onClosed = onClosed;
    this.etcdEnd =
        coversMarkers(request) ? KeyRanges.prefixEnd(KeyLayout.ORIGINS_PREFIX) : request.rangeEnd();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "etcd-watch-" + IDS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.next = request.fromRevision();
  }

  private static boolean coversMarkers(WatchRequest request) {
    ByteString mapsEnd = KeyRanges.prefixEnd(KeyLayout.MAPS_PREFIX);
    ByteString end = request.rangeEnd();
    return request.key().startsWith(KeyLayout.MAPS_PREFIX)
        && (end.isEmpty()
            || (!KeyRanges.isOpenEnded(end) && KeyRanges.ORDER.compare(end, mapsEnd) <= 0));
  }

  /**
   * Starts streaming from the request's revision (which must be set: see {@link EtcdStore#watch}).
   */
  ResumingWatch start() {
    if (next <= 0) {
      throw new IllegalArgumentException("a resuming watch needs a start revision, got " + next);
    }
    onThread(this::open);
    return this;
  }

  @Override
  public long nextRevision() {
    return next;
  }

  /** How many times the stream broke and was opened again. */
  int resumes() {
    return resumes.get();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      onThread(this::stopStream);
      thread.shutdown();
      onClosed.run();
    }
  }

  /** Ends the watch with an error (the store is closing). */
  void fail(StoreException reason) {
    onThread(() -> end(reason));
  }

  private void open() {
    if (closed) {
      return;
    }
    int gen = ++generation;
    WatchOption.Builder option =
        WatchOption.builder()
            .withRevision(next)
            .withPrevKV(request.prevKv())
            // A member cut off from its leader would keep the stream open and silent; with this it
            // cancels it, and the watch moves to a member that has a leader.
            .withRequireLeader(true);
    if (!etcdEnd.isEmpty()) {
      option.withRange(KvMapping.seq(etcdEnd));
    }
    // jetcd reschedules its own resume right after reporting an error; closing its watcher inside
    // the error callback, on jetcd's thread, is what reliably cancels that.
    AtomicReference<io.etcd.jetcd.Watch.Watcher> stream = new AtomicReference<>();
    AtomicBoolean broken = new AtomicBoolean();
    try {
      io.etcd.jetcd.Watch.Watcher watcher =
          client
              .getWatchClient()
              .watch(
                  KvMapping.seq(request.key()),
                  option.build(),
                  io.etcd.jetcd.Watch.listener(
                      response -> onThread(() -> onResponse(gen, response)),
                      error -> {
                        broken.set(true);
                        closeQuietly(stream.get());
                        onThread(() -> onFailure(gen, error));
                      }));
      stream.set(watcher);
      if (broken.get()) {
        closeQuietly(watcher);
      }
      current = watcher;
    } catch (RuntimeException e) {
      onFailure(gen, e);
    }
  }

  private void onResponse(int gen, WatchResponse response) {
    if (closed || gen != generation) {
      return;
    }
    failuresInARow = 0;
    List<WatchEvent> events = response.getEvents();
    int i = 0;
    while (i < events.size()) {
      long revision = events.get(i).getKeyValue().getModRevision();
      int j = i;
      while (j < events.size() && events.get(j).getKeyValue().getModRevision() == revision) {
        j++;
      }
      // etcd never splits one revision over two responses, so each run is a whole revision.
      if (revision >= next) {
        deliver(revision, events.subList(i, j));
        next = revision + 1;
      }
      i = j;
    }
  }

  private void deliver(long revision, List<WatchEvent> events) {
    String origin = "";
    for (WatchEvent e : events) {
      var marker = KeyLayout.parseOriginKey(KvMapping.bytes(e.getKeyValue().getKey()));
      if (marker.isPresent() && e.getEventType() == WatchEvent.EventType.PUT) {
        origin = marker.get();
      }
    }
    List<Event> out = new ArrayList<>(events.size());
    for (WatchEvent e : events) {
      KeyValue kv = KvMapping.toWire(e.getKeyValue());
      if (!request.matches(kv.getKey())) {
        continue;
      }
      boolean put = e.getEventType() == WatchEvent.EventType.PUT;
      if (put && !origin.isEmpty() && KeyLayout.parseEntryKey(kv.getKey()).isPresent()) {
        kv = kv.toBuilder().setOrigin(origin).build();
      }
      KeyValue prev =
          e.getPrevKV() == null || e.getPrevKV().getKey().isEmpty()
              ? null
              : KvMapping.toWire(e.getPrevKV());
      out.add(
          new Event(put ? Event.Type.PUT : Event.Type.DELETE, kv, request.prevKv() ? prev : null));
    }
    if (out.isEmpty()) {
      return;
    }
    try {
      listener.onRevision(new RevisionEvents(revision, out));
    } catch (RuntimeException ex) {
      LOG.error("watch listener failed; closing the watch", ex);
      close();
    }
  }

  private void onFailure(int gen, Throwable error) {
    if (closed || gen != generation) {
      return;
    }
    stopStream();
    Throwable cause = EtcdClientErrors.unwrap(error);
    if (cause instanceof CompactedException compacted) {
      closed = true;
      shutdown();
      listener.onCompacted(compacted.getCompactedRevision());
      return;
    }
    StoreException e = EtcdClientErrors.toStoreException(cause, "watch from revision " + next);
    if (!e.retriable()) {
      end(e);
      return;
    }
    long pauseMs = Retrier.pause(failuresInARow++);
    resumes.incrementAndGet();
    if (failuresInARow == 1) {
      LOG.warn("watch stream broke ({}); resuming from revision {}", e.getMessage(), next);
    } else {
      LOG.debug(
          "watch stream broke again ({}); resuming from revision {} in {} ms",
          e.getMessage(),
          next,
          pauseMs);
    }
    try {
      thread.schedule(this::open, pauseMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // closed meanwhile
    }
  }

  private void end(StoreException e) {
    if (closed) {
      return;
    }
    closed = true;
    stopStream();
    shutdown();
    listener.onError(e);
  }

  private void shutdown() {
    thread.shutdown();
    onClosed.run();
  }

  /** Closes jetcd's watcher, which also keeps jetcd from resuming it on its own. */
  private void stopStream() {
    closeQuietly(current);
    current = null;
  }

  private static void closeQuietly(io.etcd.jetcd.Watch.Watcher watcher) {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (RuntimeException e) {
        LOG.debug("closing a broken watch stream", e);
      }
    }
  }

  private void onThread(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException closing) {
      // the watch has ended; late stream callbacks are dropped
    }
  }
}
