package io.mapsync.store.contract;

import io.mapsync.store.RevisionEvents;
import io.mapsync.store.StoreException;
import io.mapsync.store.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** A watch listener that records what it was told, for assertions. */
public final class RecordingListener implements WatchListener {
  public final List<RevisionEvents> revisions = new CopyOnWriteArrayList<>();
  public final AtomicLong compacted = new AtomicLong(-1);
  public final AtomicReference<StoreException> error = new AtomicReference<>();

  @Override
  public void onRevision(RevisionEvents events) {
    revisions.add(events);
  }

  @Override
  public void onCompacted(long compactRevision) {
    compacted.set(compactRevision);
  }

  @Override
  public void onError(StoreException e) {
    error.set(e);
  }

  public int eventCount() {
    return revisions.stream().mapToInt(r -> r.events().size()).sum();
  }

  /** Waits until the condition holds; fails the test with the message if it never does. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }
}
