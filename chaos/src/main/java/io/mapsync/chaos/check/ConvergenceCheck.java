package io.mapsync.chaos.check;

import io.mapsync.chaos.cluster.Incarnation;
import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.history.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * (b) After faults heal and traffic stops, every agent's map equals the store, key for key and
 * byte for byte; and every value anywhere was written to that very key by a recorded operation
 * that took effect (no phantom, torn or misplaced values).
 *
 * <p>A member whose map differs is told apart in one case: its map holds what its own network
 * function last wrote to the key, and that write happened while the member's agent was starting
 * (between process start and ready). Such a write falls between bootstrap and capture; its kind,
 * "written-while-starting", is reported separately from any other divergence.
 */
final class ConvergenceCheck implements Check {
  static final String DIVERGED = "diverged";
  static final String WRITTEN_WHILE_STARTING = "written-while-starting";

  @Override
  public String name() {
    return "convergence";
  }

  @Override
  public List<Violation> check(Evidence e) {
    List<Violation> out = new ArrayList<>();
    Map<Key, Value> store = e.store().values();
    TreeSet<Key> keys = new TreeSet<>(store.keySet());
    e.maps().values().forEach(m -> keys.addAll(m.keySet()));
    for (Key key : keys) {
      Value expected = store.get(key);
      List<String> diverged = new ArrayList<>();
      List<String> whileStarting = new ArrayList<>();
      for (var m : e.maps().entrySet()) {
        if (!Objects.equals(expected, m.getValue().get(key))) {
          (writtenWhileStarting(m.getKey(), key, m.getValue().get(key), e) ? whileStarting : diverged)
              .add(m.getKey());
        }
      }
      if (!diverged.isEmpty()) {
        out.add(new Violation(name(), DIVERGED, "key " + key + ": " + diverged + " differ from the store",
            KeyStory.of(key, e)));
      }
      if (!whileStarting.isEmpty()) {
        out.add(new Violation(name(), WRITTEN_WHILE_STARTING, "key " + key + ": " + whileStarting + " hold their own"
            + " network function's write made while their agent was starting; it never reached the store",
            KeyStory.of(key, e)));
      }
      String origin = provenance(key, expected, e);
      if (origin != null) {
        out.add(new Violation(name(), "phantom", "key " + key + ": the store holds " + origin, KeyStory.of(key, e)));
      }
    }
    return out;
  }

  /** True if the member's value is its own last write to the key, made while its agent was starting. */
  private static boolean writtenWhileStarting(String member, Key key, Value local, Evidence e) {
    Op last = null;
    for (Op o : e.history().opsOn(key)) {
      if (o.source().equals("map@" + member) && o.outcome() == Op.Outcome.WRITTEN) {
        last = o;
      }
    }
    if (last == null || !Objects.equals(last.result(), local)) {
      return false;
    }
    for (Incarnation i : e.incarnations()) {
      if (i.member().equals(member) && i.readyAt() != null) {
        long started = e.history().msAt(i.started());
        long ready = e.history().msAt(i.readyAt());
        if (last.invokedMs() >= started && last.invokedMs() <= ready) {
          return true;
        }
      }
    }
    return false;
  }

  /** Null if the value was written to this key by an operation that may have taken effect. */
  private static String provenance(Key key, Value v, Evidence e) {
    if (v == null) {
      return null;
    }
    Op op = e.history().op(v.opId()).orElse(null);
    if (op == null) {
      return v + ", which no recorded operation wrote";
    }
    if (!op.key().equals(key)) {
      return v + ", which #" + op.id() + " wrote to key " + op.key();
    }
    if (op.outcome() == Op.Outcome.REFUSED) {
      return v + " of #" + op.id() + ", which the kernel refused";
    }
    return null;
  }
}
