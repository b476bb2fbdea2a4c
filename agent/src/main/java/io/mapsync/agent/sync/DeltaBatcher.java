package io.mapsync.agent.sync;

import io.mapsync.store.Commit;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.wire.DeltaRejection;
import io.mapsync.wire.MapDelta;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns captured changes into proposals: one batch in flight at a time, the next one filling
 * meanwhile (group commit), so latency at low load is one round trip and throughput grows with
 * load. One batch in flight also keeps this agent's batches in the log in capture order on every
 * backend. A batch the store could not take is retried with the same sequence number, which the
 * store recognises, so it lands exactly once.
 */
final class DeltaBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaBatcher.class);
  private static final long SPIN_LIMIT_NANOS = 200_000;
  private static final long PROPOSE_TIMEOUT_SECONDS = 30;

  private final StateStore store;
  private final String origin;
  private final BatchPolicy policy;
  private final PendingWrites pending;
  private final SyncMetrics metrics;
  private final Clock clock;
  private volatile Runnable onCommitted = () -> {};
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Deque<OwnBatch> sent = new ArrayDeque<>();
  private final Thread flusher;
  private final AdaptiveLinger lingerChoice;
  private OwnBatch open;
  private long nextBatchSeq = 1;
  private long nextDeltaSeq = 1;
  private volatile boolean running = true;

  DeltaBatcher(
      StateStore store,
      String origin,
      BatchPolicy policy,
      PendingWrites pending,
      SyncMetrics metrics,
      Clock clock) {
    this.store = store;
    this.origin = origin;
    this.policy = policy;
    this.pending = pending;
    this.metrics = metrics;
    this.clock = clock;
    this.open = new OwnBatch(nextBatchSeq++);
    this.lingerChoice = new AdaptiveLinger(policy.linger().toNanos());
    this.flusher = new Thread(this::run, "mapsync-batcher");
    this.flusher.setDaemon(true);
  }

  /** Called on the batcher thread after each batch is committed or has failed for good. */
  void onCommitted(Runnable callback) {
    this.onCommitted = callback;
  }

  void start() {
    flusher.start();
  }

  /** Adds a captured change to the open batch and marks its key pending. */
  void add(CapturedChange change) {
    Instant now = clock.instant();
    lock.lock();
    try {
      long seq = nextDeltaSeq++;
      MapDelta.Builder delta =
          MapDelta.newBuilder()
              .setMap(change.map())
              .setKey(change.key())
              .setOrigin(origin)
              .setOriginSeq(seq)
              .setCapturedUnixNanos(now.getEpochSecond() * 1_000_000_000L + now.getNano());
      if (change.isDelete()) {
        delta.setOp(MapDelta.Op.DELETE);
      } else {
        delta.setOp(MapDelta.Op.PUT).setValue(change.value());
      }
      PendingWrite write =
          new PendingWrite(change.mapKey(), seq, open, change.monotonicNanos(), change.value());
      open.put(delta.build(), write);
      pending.add(write);
      lingerChoice.arrived(System.nanoTime());
      if (open.deltas.size() == 1 || open.deltas.size() >= policy.maxDeltas()) {
        notEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The oldest sent batch not yet settled by the apply loop, or null. */
  OwnBatch oldestUnsettled() {
    synchronized (sent) {
      return sent.peekFirst();
    }
  }

  void removeSettled(OwnBatch batch) {
    synchronized (sent) {
      sent.remove(batch);
    }
  }

  private void run() {
    while (running) {
      OwnBatch batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        return;
      }
      if (batch != null) {
        send(batch);
        onCommitted.run();
      }
    }
  }

  /**
   * Waits for a first delta, lingers briefly for more when the rate says more are coming, then
   * closes the batch.
   */
  private OwnBatch nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (running && open.deltas.isEmpty()) {
        notEmpty.await(100, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
    if (!running) {
      return null;
    }
    linger();
    lock.lock();
    try {
      OwnBatch closing = open;
      open = new OwnBatch(nextBatchSeq++);
      closing.markInFlight();
      synchronized (sent) {
        sent.addLast(closing);
      }
      return closing;
    } finally {
      lock.unlock();
    }
  }

  /** Sub-millisecond parking is coarse on Java 17, so short lingers spin (with a pause hint). */
  private void linger() {
    long lingerNanos;
    lock.lock();
    try {
      lingerNanos = lingerChoice.lingerNanos();
    } finally {
      lock.unlock();
    }
    if (lingerNanos <= 0) {
      return;
    }
    long deadline = System.nanoTime() + lingerNanos;
    while (System.nanoTime() < deadline && openSize() < policy.maxDeltas()) {
      if (lingerNanos <= SPIN_LIMIT_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(Math.min(deadline - System.nanoTime(), 100_000));
      }
    }
  }

  private int openSize() {
    lock.lock();
    try {
      return open.deltas.size();
    } finally {
      lock.unlock();
    }
  }

  private void send(OwnBatch batch) {
    long backoffMillis = 5;
    long started = System.nanoTime();
    metrics.proposed(batch.deltas.size());
    while (running) {
      try {
        Commit commit =
            store.propose(batch.toProto(origin)).get(PROPOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        metrics.committed(batch.deltas.size(), System.nanoTime() - started);
        reportRejections(batch, commit);
        batch.committed(commit.revision());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        batch.failed(e);
        return;
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        StoreException se =
            e.getCause() instanceof StoreException s
                ? s
                : new StoreException(StoreException.Reason.TIMEOUT, String.valueOf(e), e);
        metrics.proposeFailed(se.reason().name());
        if (!se.retriable()) {
          LOG.error(
              "the store refused batch {} of {} ({} deltas): {}; the local maps keep these values until "
                  + "anti-entropy restores the store's",
              batch.batchSeq,
              origin,
              batch.deltas.size(),
              se.getMessage());
          batch.failed(se);
          return;
        }
        LOG.warn(
            "batch {} not committed yet ({}); retrying in {} ms with the same sequence number",
            batch.batchSeq,
            se.getMessage(),
            backoffMillis);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
        backoffMillis = Math.min(backoffMillis * 2, policy.retryBackoffMax().toMillis());
      }
    }
    batch.failed(new StoreException(StoreException.Reason.CLOSED, "agent stopping"));
  }

  private void reportRejections(OwnBatch batch, Commit commit) {
    for (DeltaRejection r : commit.rejections()) {
      MapDelta d = batch.deltas.get(r.getIndex());
      metrics.rejected(d.getMap(), r.getReason().name());
      LOG.warn("store rejected a delta for map '{}': {}", d.getMap(), r.getMessage());
    }
  }

  @Override
  public void close() {
    running = false;
    flusher.interrupt();
    try {
      flusher.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
