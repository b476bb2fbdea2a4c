package io.mapsync.store.state;

import com.google.protobuf.ByteString;
import io.mapsync.store.Event;
import io.mapsync.store.KeyRanges;
import io.mapsync.store.RevisionEvents;
import io.mapsync.store.StoreException;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.RangeResult;
import java.util.Collection;
import java.util.TreeMap;

/**
 * Answers range reads, at the current revision or an older one still in the history (by undoing the
 * newer events, which carry the values they replaced).
 */
final class RangeReader {
  private final KeySpace space;
  private final RevisionHistory history;

  RangeReader(KeySpace space, RevisionHistory history) {
    this.space = space;
    this.history = history;
  }

  RangeResult read(KvRange r, long currentRevision) {
    Collection<KeyValue> view = space.range(r.getKey(), r.getRangeEnd());
    long at = r.getRevision();
    if (at > currentRevision) {
      throw new StoreException(
          StoreException.Reason.FUTURE_REVISION,
          "revision " + at + " is newer than the store's revision " + currentRevision);
    }
    if (at > 0 && at < currentRevision) {
      view = rewind(view, r, at);
    }
    RangeResult.Builder out = RangeResult.newBuilder().setRevision(currentRevision);
    long count = 0;
    for (KeyValue kv : view) {
      if (!passesFilters(r, kv)) {
        continue;
      }
      count++;
      if (r.getCountOnly() || (r.getLimit() > 0 && out.getKvsCount() >= r.getLimit())) {
        continue;
      }
      out.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
    }
    return out.setCount(count).setMore(r.getLimit() > 0 && count > r.getLimit()).build();
  }

  private Collection<KeyValue> rewind(Collection<KeyValue> current, KvRange r, long at) {
    if (at < history.compactRevision()) {
      throw new StoreException(
          StoreException.Reason.COMPACTED,
          "revision "
              + at
              + " has been compacted (oldest held: "
              + history.compactRevision()
              + ")");
    }
    TreeMap<ByteString, KeyValue> past = new TreeMap<>(KeyRanges.ORDER);
    for (KeyValue kv : current) {
      past.put(kv.getKey(), kv);
    }
    for (RevisionEvents rev : history.newestDownTo(at)) {
      for (int i = rev.events().size() - 1; i >= 0; i--) {
        Event e = rev.events().get(i);
        ByteString key = e.kv().getKey();
        if (!KeyRanges.contains(r.getKey(), r.getRangeEnd(), key)) {
          continue;
        }
        if (e.prevKv() == null) {
          past.remove(key);
        } else {
          past.put(key, e.prevKv());
        }
      }
    }
    return past.values();
  }

  private static boolean passesFilters(KvRange r, KeyValue kv) {
    return (r.getMinModRevision() == 0 || kv.getModRevision() >= r.getMinModRevision())
        && (r.getMaxModRevision() == 0 || kv.getModRevision() <= r.getMaxModRevision())
        && (r.getMinCreateRevision() == 0 || kv.getCreateRevision() >= r.getMinCreateRevision())
        && (r.getMaxCreateRevision() == 0 || kv.getCreateRevision() <= r.getMaxCreateRevision());
  }
}
