package io.mapsync.chaos.run;

import io.mapsync.chaos.traffic.WatchLog;
import java.util.ArrayList;
import java.util.List;

/** A watcher's log as text, for post-mortems: errors, resyncs and every event in arrival order. */
final class WatchLogFile {
  private WatchLogFile() {}

  static List<String> lines(WatchLog w) {
    List<String> out = new ArrayList<>();
    w.errors().forEach(e -> out.add("error " + e));
    int resync = 0;
    for (int i = 0; i < w.events().size(); i++) {
      while (resync < w.resyncs().size() && w.resyncs().get(resync).afterEvents() == i) {
        WatchLog.Resync r = w.resyncs().get(resync++);
        out.add(
            "resync at revision "
                + r.revision()
                + " ("
                + r.content().size()
                + " keys, "
                + r.atMs()
                + " ms): "
                + r.reason());
      }
      out.add(w.events().get(i).toString());
    }
    return out;
  }
}
