package io.mapsync.chaos.check;

import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.history.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The lines a violation about one key quotes: its operations and each replica's value of it. */
final class KeyStory {
  private static final int MAX_OPS = 12;

  private KeyStory() {}

  static List<String> of(Key key, Evidence e) {
    List<String> lines = new ArrayList<>();
    StoredValue stored = e.store().entries().get(key);
    lines.add(
        "store (rev "
            + e.store().revision()
            + "): "
            + (stored == null
                ? "absent"
                : stored.value()
                    + " mod_revision "
                    + stored.modRevision()
                    + writer(stored.value(), e)));
    for (var m : e.maps().entrySet()) {
      Value v = m.getValue().get(key);
      lines.add(m.getKey() + "'s map: " + (v == null ? "absent" : v + writer(v, e)));
    }
    List<Op> ops = e.history().opsOn(key);
    int from = Math.max(0, ops.size() - MAX_OPS);
    lines.add(
        "operations on "
            + key
            + (from > 0 ? " (last " + MAX_OPS + " of " + ops.size() + ")" : "")
            + ":");
    ops.subList(from, ops.size()).forEach(o -> lines.add("  " + o));
    return lines;
  }

  private static String writer(Value v, Evidence e) {
    return e.history()
        .op(v.opId())
        .map(o -> " (written by #" + o.id() + " " + o.source() + ")")
        .orElse(" (no recorded operation wrote this value)");
  }

  static String describe(Map<Key, Value> content, Key key) {
    Value v = content.get(key);
    return v == null ? "absent" : v.toString();
  }
}
