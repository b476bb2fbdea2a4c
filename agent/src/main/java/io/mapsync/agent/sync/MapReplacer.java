package io.mapsync.agent.sync;

import com.google.protobuf.ByteString;
import io.mapsync.store.MapEntry;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a local map equal to the store's copy: writes what differs, deletes what the store does
 * not have. Replaces, never merges: a key deleted in the log must not survive a bootstrap. Keys
 * with a pending local write are left alone; that write lands later in the log.
 */
final class MapReplacer {
  private static final Logger LOG = LoggerFactory.getLogger(MapReplacer.class);
  private static final int PROGRESS_EVERY = 50_000;

  private MapReplacer() {}

  /** What a replacement changed. */
  record Result(int written, int deleted, int failed) {}

  static Result replace(LocalMap map, List<MapEntry> storeEntries, PendingWrites pending, SyncMetrics metrics) {
    Map<ByteString, ByteString> local = map.dump();
    int written = 0;
    int deleted = 0;
    int failed = 0;
    int done = 0;
    int total = storeEntries.size();
    metrics.bootstrapProgress(map.name(), 0, total);
    for (MapEntry e : storeEntries) {
      ByteString current = local.remove(e.key());
      MapKey key = new MapKey(map.name(), e.key());
      if (!e.value().equals(current)) {
        switch (write(map, key, e.value(), pending)) {
          case WRITTEN -> written++;
          case FAILED -> failed++;
          default -> { }
        }
      }
      if (++done % PROGRESS_EVERY == 0) {
        metrics.bootstrapProgress(map.name(), done, total);
        LOG.info("bootstrap of map '{}': {} of {} entries ({}%)", map.name(), done, total, done * 100L / total);
      }
    }
    metrics.bootstrapProgress(map.name(), done, total);
    for (ByteString stale : local.keySet()) {
      if (write(map, new MapKey(map.name(), stale), null, pending) == Outcome.WRITTEN) {
        deleted++;
      }
    }
    return new Result(written, deleted, failed);
  }

  private enum Outcome { WRITTEN, SKIPPED, FAILED }

  /**
   * One local write under the apply-mark protocol (see {@link PendingWrites}): a network function
   * write made just before it, whose capture is still on its way, is then flagged and written back
   * once committed, instead of being silently replaced.
   */
  private static Outcome write(LocalMap map, MapKey key, ByteString value, PendingWrites pending) {
    Long mark = pending.beginLocalWrite(key);
    if (pending.isPending(key)) {
      pending.abandonLocalWrite(key, mark);
      return Outcome.SKIPPED;
    }
    try {
      if (value == null) {
        map.delete(key.key());
      } else {
        map.write(key.key(), value);
      }
    } catch (LocalWriteException ex) {
      pending.abandonLocalWrite(key, mark);
      LOG.warn("bootstrap could not write an entry of map '{}': {}", map.name(), ex.getMessage());
      return Outcome.FAILED;
    }
    pending.endLocalWrite(key);
    return Outcome.WRITTEN;
  }
}
