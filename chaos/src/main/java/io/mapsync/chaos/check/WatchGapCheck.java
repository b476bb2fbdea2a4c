package io.mapsync.chaos.check;

import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.history.Value;
import io.mapsync.chaos.traffic.WatchLog;
import io.mapsync.chaos.traffic.WatchedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * (d) A watch misses nothing: folding a watcher's events (from empty, or from the read it resynced
 * with) gives exactly the store's final content, and every acknowledged client write whose revision
 * the watcher's events cover arrived as an event at that revision with that value.
 */
final class WatchGapCheck implements Check {
  private static final int MAX_KEYS = 10;

  @Override
  public String name() {
    return "watch-gaps";
  }

  @Override
  public List<Violation> check(Evidence e) {
    List<Violation> out = new ArrayList<>();
    Map<Key, Value> store = e.store().values();
    for (WatchLog w : e.watches()) {
      Map<Key, Value> fold = Folds.of(w);
      TreeSet<Key> keys = new TreeSet<>(store.keySet());
      keys.addAll(fold.keySet());
      List<String> details = new ArrayList<>();
      int differing = 0;
      for (Key k : keys) {
        if (!Objects.equals(store.get(k), fold.get(k))) {
          differing++;
          if (differing <= MAX_KEYS) {
            details.add(
                "key "
                    + k
                    + ": store "
                    + KeyStory.describe(store, k)
                    + ", watch folds to "
                    + KeyStory.describe(fold, k)
                    + "; its events for the key: "
                    + lastEvents(w, k));
          }
        }
      }
      if (differing > 0) {
        out.add(
            new Violation(
                name(),
                "watch on "
                    + w.member()
                    + " folds to a different map than the store ("
                    + differing
                    + " key(s))",
                details));
      }
      List<String> missed = missedAcknowledged(w, e);
      if (!missed.isEmpty()) {
        out.add(
            new Violation(
                name(),
                "watch on " + w.member() + " skipped " + missed.size() + " acknowledged write(s)",
                missed.subList(0, Math.min(MAX_KEYS, missed.size()))));
      }
    }
    return out;
  }

  /**
   * Acknowledged writes at revisions the events cover (not inside a resync's jump) that never
   * arrived.
   */
  private static List<String> missedAcknowledged(WatchLog w, Evidence e) {
    long last = w.events().isEmpty() ? 0 : w.events().get(w.events().size() - 1).revision();
    List<long[]> jumps = new ArrayList<>();
    for (WatchLog.Resync r : w.resyncs()) {
      long before = r.afterEvents() == 0 ? 0 : w.events().get(r.afterEvents() - 1).revision();
      jumps.add(new long[] {before, r.revision()});
    }
    Map<String, WatchedEvent> byRevisionAndKey = new HashMap<>();
    w.events().forEach(ev -> byRevisionAndKey.put(ev.revision() + "/" + ev.key(), ev));
    List<String> missed = new ArrayList<>();
    for (Op o : e.history().ops()) {
      if (!o.acknowledged() || o.revision() > last || inJump(o.revision(), jumps)) {
        continue;
      }
      WatchedEvent ev = byRevisionAndKey.get(o.revision() + "/" + o.key());
      boolean deleteOfAbsent = o.kind() == Op.Kind.DELETE && ev == null;
      if (deleteOfAbsent) {
        continue; // deleting an absent key changes nothing, so there is no event to deliver
      }
      if (ev == null || !Objects.equals(ev.value(), o.result())) {
        missed.add(o + (ev == null ? ": no event at its revision" : ": event carried " + ev));
      }
    }
    return missed;
  }

  private static boolean inJump(long revision, List<long[]> jumps) {
    return jumps.stream().anyMatch(j -> revision > j[0] && revision <= j[1]);
  }

  private static String lastEvents(WatchLog w, Key k) {
    List<String> evs = new ArrayList<>();
    for (WatchedEvent ev : w.events()) {
      if (k.equals(ev.key())) {
        evs.add("rev " + ev.revision() + (ev.value() == null ? " delete" : " " + ev.value()));
      }
    }
    return evs.size() > 5 ? "... " + evs.subList(evs.size() - 5, evs.size()) : evs.toString();
  }
}
