package io.mapsync.agent.sync;

import com.google.protobuf.ByteString;
import io.mapsync.store.StoredEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a local map equal to the store's copy: writes what differs, deletes what the store does not
 * have. Replaces, never merges: a key deleted in the log must not survive a bootstrap. Keys with a
 * pending local write are left alone; that write lands later in the log. Writes go to the kernel in
 * batches: a 100 000-entry map is installed in a few dozen syscalls, not 100 000.
 */
final class MapReplacer {
  private static final Logger LOG = LoggerFactory.getLogger(MapReplacer.class);
  private static final int PROGRESS_EVERY = 50_000;

  /**
   * Entries per BPF_MAP_UPDATE_BATCH call: large enough to amortise the syscall, small enough to
   * copy.
   */
  private static final int CHUNK = 4096;

  private MapReplacer() {}

  /** What a replacement changed. */
  record Result(int written, int deleted, int failed) {}

  static Result replace(
      LocalMap map, List<StoredEntry> storeEntries, PendingWrites pending, SyncMetrics metrics) {
    Map<ByteString, ByteString> local = map.dump();
    Counts counts = new Counts();
    int done = 0;
    int total = storeEntries.size();
    metrics.bootstrapProgress(map.name(), 0, total);
    List<StoredEntry> chunk = new ArrayList<>(CHUNK);
    for (StoredEntry e : storeEntries) {
      ByteString current = local.remove(e.key());
      if (!e.value().equals(current)) {
        chunk.add(e);
        if (chunk.size() == CHUNK) {
          writeChunk(map, chunk, pending, counts, metrics);
        }
      }
      if (++done % PROGRESS_EVERY == 0) {
        writeChunk(map, chunk, pending, counts, metrics);
        metrics.bootstrapProgress(map.name(), done, total);
        LOG.info(
            "bootstrap of map '{}': {} of {} entries ({}%)",
            map.name(), done, total, done * 100L / total);
      }
    }
    writeChunk(map, chunk, pending, counts, metrics);
    metrics.bootstrapProgress(map.name(), done, total);
    int deleted = 0;
    for (ByteString stale : local.keySet()) {
      if (write(map, new MapKey(map.name(), stale), null, pending) == Outcome.WRITTEN) {
        deleted++;
      }
    }
    return new Result(counts.written, deleted, counts.failed);
  }

  private static final class Counts {
    int written;
    int failed;
  }

  /**
   * Writes a chunk in one batch call under the apply-mark protocol: every key is marked before its
   * pending state is read, and the marks end after the batch. Keys with a pending local write are
   * left out. If the kernel refuses the batch, the chunk is written key by key so that each refusal
   * is counted and logged.
   */
  private static void writeChunk(
      LocalMap map,
      List<StoredEntry> chunk,
      PendingWrites pending,
      Counts counts,
      SyncMetrics metrics) {
    if (chunk.isEmpty()) {
      return;
    }
    List<Map.Entry<ByteString, ByteString>> batch = new ArrayList<>(chunk.size());
    Map<MapKey, Long> marks = new LinkedHashMap<>();
    for (StoredEntry e : chunk) {
      MapKey key = new MapKey(map.name(), e.key());
      Long mark = pending.beginLocalWrite(key);
      if (pending.isPending(key)) {
        pending.abandonLocalWrite(key, mark);
        continue;
      }
      marks.put(key, mark);
      batch.add(Map.entry(e.key(), e.value()));
    }
    try {
      map.writeAll(batch);
      marks.keySet().forEach(pending::endLocalWrite);
      counts.written += batch.size();
      metrics.bootstrapBatch(map.name(), batch.size());
    } catch (LocalWriteException ex) {
      marks.forEach(pending::abandonLocalWrite);
      metrics.bootstrapBatchRefused(map.name());
      LOG.warn(
          "bootstrap of map '{}': the kernel refused a batch of {} entries ({}); writing them one by one",
          map.name(),
          batch.size(),
          ex.getMessage());
      for (Map.Entry<ByteString, ByteString> e : batch) {
        switch (write(map, new MapKey(map.name(), e.getKey()), e.getValue(), pending)) {
          case WRITTEN -> counts.written++;
          case FAILED -> counts.failed++;
          default -> {}
        }
      }
    }
    chunk.clear();
  }

  private enum Outcome {
    WRITTEN,
    SKIPPED,
    FAILED
  }

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
