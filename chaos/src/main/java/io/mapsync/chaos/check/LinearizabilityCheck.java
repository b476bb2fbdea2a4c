package io.mapsync.chaos.check;

import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.history.Read;
import io.mapsync.chaos.history.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * (c) Linearizable gets and the writes of the client keys are linearizable, key by key (a register
 * each; keys are independent, so the search is split by key, as Porcupine and Knossos do). Writes
 * acknowledged took effect between their invocation and their answer; writes whose outcome is
 * unknown may take effect at any time after their invocation or never; failed reads say nothing;
 * the store's final content, read linearizably after the traffic stopped, is one more read at the
 * end. Serializable gets are not judged here (they promise less: see {@link ReadRevisionCheck}).
 */
final class LinearizabilityCheck implements Check {
  /**
   * Steps per key before the search gives up (inconclusive); a key of a one-hour soak needs far
   * fewer.
   */
  static final long MAX_STEPS_PER_KEY = 5_000_000;

  private String stats = "";

  @Override
  public String name() {
    return "linearizable";
  }

  @Override
  public String stats() {
    return stats;
  }

  @Override
  public List<Violation> check(Evidence e) {
    long t0 = System.nanoTime();
    List<Violation> out = new ArrayList<>();
    Map<Key, List<Op>> writes = e.history().byKey();
    Map<Key, List<Read>> reads = new HashMap<>();
    for (Read r : e.history().reads()) {
      if (r.linearizable() && r.ok()) {
        reads.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
      }
    }
    Set<Key> keys = new HashSet<>(reads.keySet());
    writes.keySet().stream().filter(k -> k.space() == Key.Space.CLIENT).forEach(keys::add);
    int checked = 0;
    int inconclusive = 0;
    long ops = 0;
    for (Key key : keys) {
      KeyHistory h =
          KeyHistory.of(
              key,
              writes.getOrDefault(key, List.of()),
              reads.getOrDefault(key, List.of()),
              e.store().entries().get(key));
      checked++;
      ops += h.ops().size();
      if (!h.neverWritten().isEmpty()) {
        out.add(
            new Violation(
                name(),
                "never-written",
                "key "
                    + key
                    + ": a get returned a value no write of this key"
                    + " wrote: "
                    + h.neverWritten(),
                story(key, e)));
        continue;
      }
      WglSearch.Result r = WglSearch.check(h.ops(), 0, MAX_STEPS_PER_KEY);
      if (r.verdict() == WglSearch.Verdict.NOT_LINEARIZABLE) {
        out.add(
            new Violation(
                name(),
                "not-linearizable",
                "key "
                    + key
                    + ": no order of its "
                    + h.ops().size()
                    + " operations explains what the gets returned; the longest explained prefix has "
                    + r.longestPrefix()
                    + " and stops before "
                    + h.describe(r.stuckAt()),
                story(key, e)));
      } else if (r.verdict() == WglSearch.Verdict.INCONCLUSIVE) {
        inconclusive++;
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long linearizableReads = reads.values().stream().mapToLong(List::size).sum();
    stats =
        checked
            + " keys, "
            + ops
            + " operations ("
            + linearizableReads
            + " linearizable gets) searched in "
            + ms
            + " ms"
            + (inconclusive > 0
                ? ", " + inconclusive + " key(s) INCONCLUSIVE (search budget used up)"
                : "");
    return out;
  }

  private static List<String> story(Key key, Evidence e) {
    List<String> lines = new ArrayList<>(KeyStory.of(key, e));
    List<Read> rs = e.history().readsOn(key);
    int from = Math.max(0, rs.size() - 20);
    lines.add("gets of " + key + (from > 0 ? " (last 20 of " + rs.size() + ")" : "") + ":");
    rs.subList(from, rs.size()).forEach(r -> lines.add("  " + r));
    return lines;
  }

  /** One key's operations as register operations, values numbered (0 is absent). */
  record KeyHistory(List<RegisterOp> ops, List<String> neverWritten, Map<Long, String> names) {
    static KeyHistory of(Key key, List<Op> writes, List<Read> reads, StoredValue last) {
      Map<Value, Integer> numbers = new HashMap<>();
      Set<Value> observed = new HashSet<>();
      reads.forEach(r -> observed.add(r.value()));
      if (last != null) {
        observed.add(last.value());
      }
      List<RegisterOp> ops = new ArrayList<>();
      Map<Long, String> names = new HashMap<>();
      for (Op w : writes) {
        boolean unknown = w.outcome() == Op.Outcome.UNKNOWN;
        // a put of a unique value nobody saw may as well never have happened: dropping it keeps the
        // search small
        if (!w.acknowledged()
            && !(unknown && (w.kind() == Op.Kind.DELETE || observed.contains(w.value())))) {
          continue;
        }
        int v =
            w.kind() == Op.Kind.PUT
                ? numbers.computeIfAbsent(w.value(), x -> numbers.size() + 1)
                : 0;
        ops.add(
            RegisterOp.write(
                w.id(), v, w.invokedMs(), unknown ? RegisterOp.NEVER : w.completedMs()));
        names.put(w.id(), w.toString());
      }
      List<String> never = new ArrayList<>();
      for (Read r : reads) {
        Integer v = r.value() == null ? Integer.valueOf(0) : numbers.get(r.value());
        if (v == null) {
          never.add(r.toString());
          continue;
        }
        ops.add(RegisterOp.read(r.id(), v, r.invokedMs(), r.completedMs()));
        names.put(r.id(), r.toString());
      }
      if (last != null || !ops.isEmpty()) {
        Integer v = last == null ? Integer.valueOf(0) : numbers.get(last.value());
        if (v == null) {
          never.add("the store's final content " + last.value());
        } else {
          // read after the traffic stopped: after every answered operation, concurrent with the
          // unknown ones
          ops.add(RegisterOp.read(-1, v, RegisterOp.NEVER - 1, RegisterOp.NEVER - 1));
          names.put(
              -1L,
              "the store's final content: "
                  + (last == null
                      ? "absent"
                      : last.value() + " mod_revision " + last.modRevision()));
        }
      }
      return new KeyHistory(ops, never, names);
    }

    String describe(RegisterOp op) {
      return op == null ? "?" : names.getOrDefault(op.id(), "#" + op.id());
    }
  }
}
