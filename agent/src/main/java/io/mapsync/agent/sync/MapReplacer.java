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

  static Result replace(LocalMap map, List<MapEntry> storeEntries, PendingWrites pending) {
    Map<ByteString, ByteString> local = map.dump();
    int written = 0;
    int deleted = 0;
    int failed = 0;
    int done = 0;
    int total = storeEntries.size();
    for (MapEntry e : storeEntries) {
      ByteString current = local.remove(e.key());
      MapKey key = new MapKey(map.name(), e.key());
      if (!e.value().equals(current) && !pending.isPending(key)) {
        try {
          map.write(e.key(), e.value());
          written++;
        } catch (LocalWriteException ex) {
          failed++;
          LOG.warn("bootstrap could not write an entry of map '{}': {}", map.name(), ex.getMessage());
        }
      }
      if (++done % PROGRESS_EVERY == 0) {
        LOG.info("bootstrap of map '{}': {} of {} entries ({}%)", map.name(), done, total, done * 100L / total);
      }
    }
    for (ByteString stale : local.keySet()) {
      if (!pending.isPending(new MapKey(map.name(), stale))) {
        map.delete(stale);
        deleted++;
      }
    }
    return new Result(written, deleted, failed);
  }
}
