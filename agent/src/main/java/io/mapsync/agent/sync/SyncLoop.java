package io.mapsync.agent.sync;

import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.RevisionEvents;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchListener;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.state.KeyLayout;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's sync loop: captured local changes go to the log in batches; committed changes come
 * back in log order and are applied to the local maps. Bootstrap (snapshot, then watch from its
 * revision) comes first; changes captured meanwhile must be held and handed to {@link #onCaptured}
 * only once {@link #start()} has returned.
 */
public final class SyncLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final StateStore store;
  private final String origin;
  private final Map<String, LocalMap> maps = new LinkedHashMap<>();
  private final SyncMetrics metrics;
  private final Duration antiEntropyInterval;
  private final PendingWrites pending = new PendingWrites();
  private final DeltaBatcher batcher;
  private final ApplyLoop applyLoop;
  private final AntiEntropy antiEntropy;
  private final ReentrantLock applyLock = new ReentrantLock();
  private final ScheduledExecutorService control =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "mapsync-sync-control");
            t.setDaemon(true);
            return t;
          });
  private volatile Watch watch;

  /** Bumped on every (re)bootstrap; deliveries from an older watch are ignored. */
  private volatile long watchGeneration;

  private volatile boolean ready;
  private volatile int lastBootstrapChanges;
  private volatile boolean closed;

  /**
   * @param origin this agent incarnation's name in the log (node id plus a start stamp), so a
   *     restarted agent never mistakes its predecessor's batches for retries of its own
   */
  public SyncLoop(
      StateStore store,
      String origin,
      List<LocalMap> localMaps,
      BatchPolicy policy,
      SyncMetrics metrics,
      Duration antiEntropyInterval,
      Clock clock) {
    this.store = store;
    this.origin = origin;
    this.metrics = metrics;
    this.antiEntropyInterval = antiEntropyInterval;
    localMaps.forEach(m -> maps.put(m.name(), m));
    this.batcher = new DeltaBatcher(store, origin, policy, pending, metrics, clock);
    this.applyLoop = new ApplyLoop(origin, maps, pending, batcher, metrics, clock, this::watchLost);
    this.antiEntropy = new AntiEntropy(pending, metrics);
    // The watch may deliver a batch's revision before its commit reply arrives; settle then.
    this.batcher.onCommitted(() -> control.execute(this::settleApplied));
  }

  private void settleApplied() {
    applyLock.lock();
    try {
      applyLoop.settleApplied();
    } finally {
      applyLock.unlock();
    }
  }

  /** Registers the maps, installs the store's content into them, and starts following the log. */
  public long start() {
    for (LocalMap m : maps.values()) {
      String what = "register map '" + m.name() + "'";
      ElectionWait.retry(what, () -> await(store.registerMap(m.spec()), what));
    }
    long revision = ElectionWait.retry("read the maps' snapshot", this::bootstrap);
    batcher.start();
    if (!antiEntropyInterval.isZero()) {
      long ms = antiEntropyInterval.toMillis();
      control.scheduleWithFixedDelay(this::antiEntropyQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
    control.scheduleWithFixedDelay(
        () -> pending.pruneMarks(TimeUnit.SECONDS.toNanos(10)), 1, 1, TimeUnit.SECONDS);
    ready = true;
    return revision;
  }

  /**
   * Snapshot into the maps, then a watch from the snapshot's revision + 1: no gap, no overlap. Own
   * batches the snapshot already contains are settled first, so none of their keys is skipped.
   */
  private long bootstrap() {
    long started = System.nanoTime();
    MapsSnapshot snap =
        await(store.readMaps(List.copyOf(maps.keySet())), "read the maps' snapshot");
    long read = System.nanoTime();
    applyLock.lock();
    try {
      applyLoop.settleThrough(snap.revision());
      int changes = 0;
      for (LocalMap m : maps.values()) {
        MapReplacer.Result r = MapReplacer.replace(m, snap.entries(m.name()), pending, metrics);
        changes += r.written() + r.deleted();
        LOG.info(
            "map '{}' installed at revision {}: {} entries ({} written, {} deleted, {} failed)",
            m.name(),
            snap.revision(),
            snap.entries(m.name()).size(),
            r.written(),
            r.deleted(),
            r.failed());
      }
      applyLoop.resetTo(snap.revision());
      lastBootstrapChanges = changes;
      watchGeneration++;
    } finally {
      applyLock.unlock();
    }
    watch =
        store.watch(
            WatchRequest.prefix(KeyLayout.MAPS_PREFIX, snap.revision() + 1),
            new LockedListener(watchGeneration));
    // The read includes waiting for this member's replica to catch up (a joining member receives
    // the
    // log or a snapshot first), the rest is writing the maps: the two costs an operator can act on.
    LOG.info(
        "bootstrap done at revision {} in {} ms (store read {} ms, maps {} ms)",
        snap.revision(),
        (System.nanoTime() - started) / 1_000_000,
        (read - started) / 1_000_000,
        (System.nanoTime() - read) / 1_000_000);
    return snap.revision();
  }

  /** Runs an action while no remote delta is being applied (e.g. attaching capture to the maps). */
  public void whileApplyPaused(Runnable action) {
    applyLock.lock();
    try {
      action.run();
    } finally {
      applyLock.unlock();
    }
  }

  /** A captured local change; changes captured during {@link #start()} are handed over after it. */
  public void onCaptured(CapturedChange change) {
    LocalMap map = maps.get(change.map());
    if (map == null) {
      metrics.dropped(change.map(), "not_replicated");
      return;
    }
    if (change.eviction() && !map.replicateEvictions()) {
      metrics.dropped(change.map(), "eviction_kept_local");
      return;
    }
    metrics.captured(change.map());
    batcher.add(change);
  }

  public boolean ready() {
    return ready;
  }

  public long appliedRevision() {
    return applyLoop.appliedRevision();
  }

  /** How many local entries the last bootstrap (or resync) had to write or delete. */
  public int lastBootstrapChanges() {
    return lastBootstrapChanges;
  }

  public int pendingWrites() {
    return pending.size();
  }

  /**
   * Runs one anti-entropy pass now; returns the keys repaired. The apply loop records the keys it
   * writes from before the snapshot is read, so the comparison needs no lock (see AntiEntropy).
   */
  public synchronized int runAntiEntropy() {
    long generation = watchGeneration;
    Set<MapKey> changed = applyLoop.recordChanges();
    try {
      MapsSnapshot snap =
          await(store.readMaps(List.copyOf(maps.keySet())), "read the maps for anti-entropy");
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (applyLoop.appliedRevision() < snap.revision()
          && System.nanoTime() < deadline
          && !closed) {
        sleepMillis(2);
      }
      return antiEntropy.pass(
          maps,
          snap,
          changed,
          repairs -> {
            applyLock.lock();
            try {
              // A resync replaced the maps meanwhile: this pass's view is stale, the next one
              // starts afresh.
              if (generation != watchGeneration) {
                return false;
              }
              repairs.run();
              return true;
            } finally {
              applyLock.unlock();
            }
          });
    } finally {
      applyLoop.stopRecordingChanges();
    }
  }

  private void antiEntropyQuietly() {
    try {
      int repaired = runAntiEntropy();
      if (repaired > 0) {
        LOG.warn("anti-entropy repaired {} keys that differed from the store", repaired);
      }
    } catch (RuntimeException e) {
      LOG.warn("anti-entropy pass failed: {}", e.getMessage());
    }
  }

  /** The watch ended (history compacted, connection lost for good): resync from a snapshot. */
  private void watchLost(String why) {
    if (closed) {
      return;
    }
    LOG.warn("lost the log watch ({}); resyncing the maps from a snapshot", why);
    control.execute(this::resync);
  }

  private void resync() {
    Watch old = watch;
    if (old != null) {
      old.close();
    }
    while (!closed) {
      try {
        bootstrap();
        return;
      } catch (RuntimeException e) {
        LOG.warn("resync failed ({}); retrying in 1 s", e.getMessage());
        sleepMillis(1000);
      }
    }
  }

  private <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) {
    try {
      return f.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StoreException se) {
        throw se;
      }
      throw new StoreException(
          StoreException.Reason.UNAVAILABLE, "could not " + what + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new StoreException(
          StoreException.Reason.TIMEOUT, "could not " + what + " within " + READ_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(StoreException.Reason.CLOSED, "interrupted while trying to " + what);
    }
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    ready = false;
    Watch w = watch;
    if (w != null) {
      w.close();
    }
    batcher.close();
    control.shutdownNow();
  }

  /** Serialises watch delivery with anti-entropy and bootstrap, and drops stale deliveries. */
  private final class LockedListener implements WatchListener {
    private final long generation;

    LockedListener(long generation) {
      this.generation = generation;
    }

    private boolean stale() {
      return generation != watchGeneration;
    }

    @Override
    public void onRevision(RevisionEvents events) {
      applyLock.lock();
      try {
        if (stale() || events.revision() <= applyLoop.appliedRevision()) {
          return;
        }
        applyLoop.onRevision(events);
      } finally {
        applyLock.unlock();
      }
    }

    @Override
    public void onProgress(long revision) {
      applyLock.lock();
      try {
        if (stale()) {
          return;
        }
        applyLoop.onProgress(revision);
      } finally {
        applyLock.unlock();
      }
    }

    @Override
    public void onCompacted(long compactRevision) {
      if (!stale()) {
        applyLoop.onCompacted(compactRevision);
      }
    }

    @Override
    public void onError(StoreException error) {
      if (!stale()) {
        applyLoop.onError(error);
      }
    }
  }
}
