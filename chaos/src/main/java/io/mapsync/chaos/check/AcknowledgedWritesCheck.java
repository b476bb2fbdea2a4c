package io.mapsync.chaos.check;

import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.history.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * (a) An acknowledged client write is never lost. Each client key is written by one client, one
 * operation at a time, so its last acknowledged operation is the one that must survive — unless an
 * operation whose outcome is unknown landed later (it may have been applied at any point after it
 * was sent, even after later acknowledged ones: it never completed, so it is concurrent with them).
 * The final value must therefore be the last acknowledged operation's result or the result of an
 * unknown one, in the store and in every agent's map; and the store must hold an acknowledged put
 * at the very revision it was acknowledged with (anything else means it was applied twice).
 */
final class AcknowledgedWritesCheck implements Check {
  @Override
  public String name() {
    return "acknowledged-writes";
  }

  @Override
  public List<Violation> check(Evidence e) {
    List<Violation> out = new ArrayList<>();
    for (Map.Entry<Key, List<Op>> entry : e.history().byKey().entrySet()) {
      Key key = entry.getKey();
      if (key.space() != Key.Space.CLIENT) {
        continue;
      }
      Op lastAcked = null;
      Set<Value> allowed = new LinkedHashSet<>();
      List<String> allowedWhy = new ArrayList<>();
      for (Op o : entry.getValue()) {
        if (o.acknowledged()) {
          lastAcked = o;
        }
      }
      allowed.add(lastAcked == null ? null : lastAcked.result());
      allowedWhy.add(
          lastAcked == null
              ? "absent (nothing acknowledged)"
              : describe(lastAcked) + " (last acknowledged)");
      for (Op o : entry.getValue()) {
        if (o.outcome() == Op.Outcome.UNKNOWN) {
          allowed.add(o.result());
          allowedWhy.add(describe(o) + " (outcome unknown)");
        }
      }
      StoredValue stored = e.store().entries().get(key);
      Value inStore = stored == null ? null : stored.value();
      if (!allowed.contains(inStore)) {
        out.add(violation(key, "store holds " + show(inStore), allowedWhy, e));
      } else if (lastAcked != null
          && lastAcked.kind() == Op.Kind.PUT
          && Objects.equals(inStore, lastAcked.value())
          && stored.modRevision() != lastAcked.revision()) {
        out.add(
            violation(
                key,
                "store holds #"
                    + lastAcked.id()
                    + "'s value at mod_revision "
                    + stored.modRevision()
                    + " but it was acknowledged at revision "
                    + lastAcked.revision()
                    + " (applied twice?)",
                allowedWhy,
                e));
      }
      for (var m : e.maps().entrySet()) {
        Value inMap = m.getValue().get(key);
        if (!allowed.contains(inMap)) {
          out.add(violation(key, m.getKey() + "'s map holds " + show(inMap), allowedWhy, e));
        }
      }
    }
    return out;
  }

  private Violation violation(Key key, String what, List<String> allowedWhy, Evidence e) {
    List<String> details = new ArrayList<>();
    details.add("allowed: " + String.join("; ", allowedWhy));
    details.addAll(KeyStory.of(key, e));
    return new Violation(name(), "key " + key + ": " + what, details);
  }

  private static String describe(Op o) {
    return o.kind() == Op.Kind.PUT
        ? o.value() + " from #" + o.id()
        : "absent from delete #" + o.id();
  }

  private static String show(Value v) {
    return v == null ? "nothing (absent)" : v.toString();
  }
}
