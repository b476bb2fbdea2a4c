package io.mapsync.chaos.check;

import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Value;
import io.mapsync.chaos.traffic.WatchLog;
import io.mapsync.chaos.traffic.WatchedEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * The map a watcher's stream describes: its events applied in order, restarting at each resync's
 * read.
 */
public final class Folds {
  private Folds() {}

  public static Map<Key, Value> of(WatchLog w) {
    Map<Key, Value> state = new HashMap<>();
    int resync = 0;
    for (int i = 0; i <= w.events().size(); i++) {
      while (resync < w.resyncs().size() && w.resyncs().get(resync).afterEvents() == i) {
        state = new HashMap<>(w.resyncs().get(resync).content());
        resync++;
      }
      if (i < w.events().size()) {
        WatchedEvent ev = w.events().get(i);
        if (ev.value() == null) {
          state.remove(ev.key());
        } else {
          state.put(ev.key(), ev.value());
        }
      }
    }
    return state;
  }
}
