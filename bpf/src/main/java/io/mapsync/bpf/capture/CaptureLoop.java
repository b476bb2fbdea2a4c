package io.mapsync.bpf.capture;

import io.mapsync.bpf.internal.Poller;
import io.mapsync.bpf.internal.RingReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture thread: drains the rings, notices dropped records, runs due scans and rescans, and
 * sleeps only after spinning idle for a while, so a steady stream of changes is read without a
 * single wake-up.
 */
final class CaptureLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureLoop.class);
  private static final int DRAIN_BATCH = 4096;
  private static final int MAX_SLEEP_MILLIS = 100;

  /** Between records, the maps are looked at for due scans and rescans at most this often. */
  private static final long LOOK_NANOS = 1_000_000;

  /** A ring and how to find which maps lost records when its drop counter moves. */
  interface Source {
    RingReader reader();

    /** Called when the ring's drop counter moved: marks the maps that lost records for a rescan. */
    void markLosses(Map<Integer, WatchedMap> maps);

    /** Called every loop; a source may look for other losses here (rate-limited by itself). */
    default void check(Map<Integer, WatchedMap> maps, long nowNanos) {}
  }

  private final Map<Integer, WatchedMap> maps;
  private final ChangeSink sink;
  private final RecordDecoder decoder;
  private final Poller poller = new Poller();
  private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
  private final long spinNanos;
  private volatile List<Source> sources = List.of();
  private volatile boolean closed;
  private volatile Thread thread;

  /**
   * When runScans last looked at every map, and when it found the next scan due (capture thread
   * only).
   */
  private long lookedAt;

  private long scanDue;

  CaptureLoop(Map<Integer, WatchedMap> maps, ChangeSink sink, long spinNanos) {
    this.maps = maps;
    this.sink = sink;
    this.decoder = new RecordDecoder(maps, sink);
    this.spinNanos = spinNanos;
  }

  void start(String name) {
    Thread t = new Thread(this, name);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  void addSource(Source s) {
    List<Source> next = new ArrayList<>(sources);
    next.add(s);
    sources = List.copyOf(next);
    poller.wakeup();
  }

  /** Runs work on the capture thread and waits for it (directly, when already on it). */
  <T> T call(Callable<T> work) {
    if (Thread.currentThread() == thread) {
      try {
        return work.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    FutureTask<T> task = new FutureTask<>(work);
    tasks.add(task);
    poller.wakeup();
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the capture thread", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Reads every record now in the rings. */
  void drainAll() {
    for (Source s : sources) {
      int limit = 1 << 22; // producers faster than us must not keep a scan from starting
      int n;
      while ((n = s.reader().drain(decoder, DRAIN_BATCH)) > 0 && (limit -= n) > 0) {
        // keep reading
      }
    }
  }

  @Override
  public void run() {
    long lastBusy = System.nanoTime();
    long[] dropsSeen = new long[0];
    while (!closed) {
      try {
        boolean changed = false;
        int n = 0;
        List<Source> current = sources;
        for (Source s : current) {
          n += s.reader().drain(decoder, DRAIN_BATCH);
        }
        if (dropsSeen.length != current.size()) {
          dropsSeen = java.util.Arrays.copyOf(dropsSeen, current.size());
        }
        for (int i = 0; i < current.size(); i++) {
          long d = current.get(i).reader().state().drops();
          if (d != dropsSeen[i]) {
            dropsSeen[i] = d;
            changed = true;
            current.get(i).markLosses(maps);
          }
          current.get(i).check(maps, System.nanoTime());
        }
        changed |= runTasks() || n > 0;
        long now = System.nanoTime();
        // Looking at every map on each turn of the spin allocated an iterator per turn: the
        // writer agent's largest allocation site (docs/benchmarks.md). Rescan reasons and
        // readiness change only with records, losses or tasks; the probes' own checks
        // (every 50 ms) are seen within LOOK_NANOS.
        long nextScan =
            changed || now - scanDue >= 0 || now - lookedAt >= LOOK_NANOS ? runScans(now) : scanDue;
        if (n > 0) {
          lastBusy = now;
        } else if (now - lastBusy > spinNanos) {
          sleep(current, nextScan - now);
          lastBusy =
              System.nanoTime() - spinNanos / 2; // after a wake-up, spin a little for what follows
        } else {
          Thread.onSpinWait();
        }
      } catch (RuntimeException e) {
        LOG.error("capture loop error; continuing", e);
      }
    }
    runTasks();
  }

  /** Runs queued tasks; true if there were any. */
  private boolean runTasks() {
    boolean ran = false;
    FutureTask<?> t;
    while ((t = tasks.poll()) != null) {
      t.run();
      ran = true;
    }
    return ran;
  }

  /** Runs due scans and rescans; returns when the next one is due. */
  private long runScans(long now) {
    long next = now + MAX_SLEEP_MILLIS * 1_000_000L;
    for (WatchedMap w : maps.values()) {
      if (!w.ready) {
        continue; // its baseline is still to come, as a task
      }
      String reason = w.rescanReason;
      if (reason != null) {
        rescan(w, reason);
      } else if (w.has(Tier.SCAN) && now - w.nextScanNanos >= 0) {
        Scanner.scan(w, this::drainAll, sink);
        w.nextScanNanos = System.nanoTime() + w.scanIntervalNanos;
      }
      if (w.has(Tier.SCAN)) {
        next = Math.min(next, w.nextScanNanos);
      }
    }
    lookedAt = now;
    scanDue = next;
    return next;
  }

  /** Tells the sink, then dumps and diffs the map. On the capture thread. */
  void rescan(WatchedMap w, String reason) {
    w.rescanReason = null;
    w.rescans++;
    sink.onResync(w.id(), reason);
    Scanner.scan(w, this::drainAll, sink);
  }

  /** The reader half of the wake-up handshake of include/mapsync_ring.h. */
  private void sleep(List<Source> current, long nanos) {
    if (nanos <= 0 || !tasks.isEmpty()) {
      return;
    }
    for (Source s : current) {
      s.reader().state().announceSleep();
    }
    boolean ready = false;
    for (Source s : current) {
      ready |= s.reader().hasData();
    }
    if (!ready) {
      int[] fds = new int[current.size()];
      for (int i = 0; i < fds.length; i++) {
        fds[i] = current.get(i).reader().fd();
      }
      poller.await(fds, (int) Math.max(1, Math.min(MAX_SLEEP_MILLIS, nanos / 1_000_000L)));
    }
    for (Source s : current) {
      s.reader().state().cancelSleep();
    }
  }

  void close() {
    closed = true;
    poller.wakeup();
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    poller.close(); // after the thread is gone: nothing polls or wakes it any more
  }
}
