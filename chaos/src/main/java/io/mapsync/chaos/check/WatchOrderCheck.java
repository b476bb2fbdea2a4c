package io.mapsync.chaos.check;

import io.mapsync.chaos.traffic.WatchLog;
import io.mapsync.chaos.traffic.WatchedEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * (d) A watch delivers revisions in order and each change once: within a stream, revisions never go
 * back; a new response starts past the previous one's revision (one log entry's deltas share a
 * revision and travel in one response); no change comes twice; after a resync from a read at
 * revision R, events start past R. And, as in etcd, a key has one version per revision: two events
 * for one key at one revision show a watcher a value that no read at that revision returns.
 */
final class WatchOrderCheck implements Check {
  private static final int MAX_PER_KIND = 8;

  /** The problems this check tells apart; each becomes its own violation kind. */
  enum Problem {
    WENT_BACK("revision went back"),
    REPEATED_REVISION("a new response repeats a revision"),
    BEFORE_RESYNC("an event at or before the revision the watcher resynced at"),
    DELIVERED_TWICE("the same change delivered twice"),
    TWO_CHANGES_ONE_REVISION("two changes of one key at one revision"),
    FOREIGN_KEY("an event for a key that is not a map entry");

    final String meaning;

    Problem(String meaning) {
      this.meaning = meaning;
    }

    String kind() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  @Override
  public String name() {
    return "watch-order";
  }

  @Override
  public List<Violation> check(Evidence e) {
    List<Violation> out = new ArrayList<>();
    for (WatchLog w : e.watches()) {
      Map<Problem, List<String>> problems = new EnumMap<>(Problem.class);
      Map<String, WatchedEvent> seen = new HashMap<>();
      WatchedEvent prev = null;
      int resync = 0;
      long floor = 0;
      for (int i = 0; i < w.events().size(); i++) {
        while (resync < w.resyncs().size() && w.resyncs().get(resync).afterEvents() == i) {
          floor = Math.max(floor, w.resyncs().get(resync).revision());
          resync++;
        }
        WatchedEvent ev = w.events().get(i);
        if (ev.key() == null) {
          add(problems, Problem.FOREIGN_KEY, ev.toString());
        }
        if (prev != null && ev.revision() < prev.revision()) {
          add(problems, Problem.WENT_BACK, prev + " then " + ev);
        } else if (prev != null
            && ev.response() != prev.response()
            && ev.revision() <= prev.revision()) {
          add(problems, Problem.REPEATED_REVISION, prev + " then " + ev);
        }
        if (ev.revision() <= floor) {
          add(problems, Problem.BEFORE_RESYNC, "resynced at " + floor + ", then " + ev);
        }
        WatchedEvent same = seen.put(ev.revision() + "/" + ev.key(), ev);
        if (same != null) {
          add(
              problems,
              Objects.equals(same.value(), ev.value())
                  ? Problem.DELIVERED_TWICE
                  : Problem.TWO_CHANGES_ONE_REVISION,
              same + " then " + ev);
        }
        prev = ev;
      }
      problems.forEach(
          (p, lines) -> {
            List<String> details =
                new ArrayList<>(lines.subList(0, Math.min(MAX_PER_KIND, lines.size())));
            if (lines.size() > MAX_PER_KIND) {
              details.add("... and " + (lines.size() - MAX_PER_KIND) + " more");
            }
            out.add(
                new Violation(
                    name(),
                    p.kind(),
                    "watch on " + w.member() + ": " + p.meaning + " (" + lines.size() + " time(s))",
                    details));
          });
    }
    return out;
  }

  private static void add(Map<Problem, List<String>> problems, Problem p, String line) {
    problems.computeIfAbsent(p, k -> new ArrayList<>()).add(line);
  }
}
