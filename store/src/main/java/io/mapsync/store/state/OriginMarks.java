package io.mapsync.store.state;

import io.mapsync.wire.OriginMark;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last batch applied per origin, so that a batch retried after a timeout or a leader change is
 * acknowledged but never applied twice. Bounded: the origins idle the longest are forgotten first
 * (an origin is one agent incarnation, so old ones never come back).
 */
final class OriginMarks {
  static final int MAX_ORIGINS = 4096;

  private final LinkedHashMap<String, OriginMark> marks =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OriginMark> eldest) {
          return size() > MAX_ORIGINS;
        }
      };

  /** The mark of a batch applied before with a sequence number at or past batchSeq, or null. */
  OriginMark seen(String origin, long batchSeq) {
    OriginMark mark = marks.get(origin);
    return mark != null && Long.compareUnsigned(batchSeq, mark.getBatchSeq()) <= 0 ? mark : null;
  }

  void record(String origin, long batchSeq, long revision) {
    marks.put(
        origin,
        OriginMark.newBuilder()
            .setOrigin(origin)
            .setBatchSeq(batchSeq)
            .setRevision(revision)
            .build());
  }

  Collection<OriginMark> all() {
    return marks.values();
  }

  void restore(OriginMark mark) {
    marks.put(mark.getOrigin(), mark);
  }

  void clear() {
    marks.clear();
  }
}
