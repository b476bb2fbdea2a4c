package io.mapsync.store.state;

import io.mapsync.store.Event;
import io.mapsync.store.RevisionEvents;
import java.util.Collection;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recent past of the key space: the events of each revision, kept so watches can start in the
 * past and reads can ask for an older revision. Bounded by an approximate byte budget; what falls
 * out moves the compact revision forward, and anyone asking for it is told "compacted".
 *
 * <p>One writer (the apply thread), many concurrent readers. The compact revision is raised before
 * entries are removed, so a reader that re-checks it after reading an entry never misses a gap.
 */
final class RevisionHistory {
  private static final int EVENT_OVERHEAD_BYTES = 96;

  private final ConcurrentSkipListMap<Long, RevisionEvents> revisions =
      new ConcurrentSkipListMap<>();
  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong();
  private volatile long compactRevision;

  RevisionHistory(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  void append(RevisionEvents entry) {
    if (entry.events().isEmpty()) {
      return;
    }
    revisions.put(entry.revision(), entry);
    bytes.addAndGet(sizeOf(entry));
    while (bytes.get() > maxBytes && revisions.size() > 1) {
      compactTo(revisions.firstKey());
    }
  }

  /** Forgets every revision up to and including the given one. */
  void compactTo(long revision) {
    if (revision <= compactRevision) {
      return;
    }
    compactRevision = revision;
    while (!revisions.isEmpty() && revisions.firstKey() <= revision) {
      RevisionEvents gone = revisions.pollFirstEntry().getValue();
      bytes.addAndGet(-sizeOf(gone));
    }
  }

  /** Revisions at or below this one are no longer held. */
  long compactRevision() {
    return compactRevision;
  }

  /** Held revisions from the given one on, in order (a live view). */
  Collection<RevisionEvents> from(long revision) {
    return revisions.tailMap(revision, true).values();
  }

  /** Held revisions after the given one, newest first (a live view). */
  Collection<RevisionEvents> newestDownTo(long exclusiveRevision) {
    return revisions.tailMap(exclusiveRevision, false).descendingMap().values();
  }

  /** Drops everything and starts again after a restored snapshot. */
  void resetTo(long revision) {
    compactRevision = revision;
    revisions.clear();
    bytes.set(0);
  }

  long bytes() {
    return bytes.get();
  }

  private static long sizeOf(RevisionEvents entry) {
    long size = 0;
    for (Event e : entry.events()) {
      size += EVENT_OVERHEAD_BYTES + e.kv().getSerializedSize();
      if (e.prevKv() != null) {
        size += e.prevKv().getSerializedSize();
      }
    }
    return size;
  }
}
