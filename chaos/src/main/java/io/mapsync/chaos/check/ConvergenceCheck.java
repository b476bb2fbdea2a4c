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
 * (b) After faults heal and traffic stops, every agent's map equals the store, key for key and byte
 * for byte; and every value anywhere was written to that very key by a recorded operation that took
 * effect (no phantom, torn or misplaced values).
 *
 * <p>A member whose map differs is told apart in one case: its map holds what its own network
 * function last wrote to the key, and that write happened while the member's agent was starting
 * (between process start and ready). Such a write falls between bootstrap and capture; its kind,
 * "written-while-starting", is reported separately from any other divergence. So is a second one:
 * its map holds its own write, which was committed (a watcher saw it) and overwritten in the store
 * at a revision its agent later resynced past from a snapshot ("kept-own-write-across-resync").
 */
final class ConvergenceCheck implements Check {
  static final String DIVERGED = "diverged";
  static final String WRITTEN_WHILE_STARTING = "written-while-starting";
  static final String KEPT_ACROSS_RESYNC = "kept-own-write-across-resync";

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
      List<String> acrossResync = new ArrayList<>();
      for (var m : e.maps().entrySet()) {
        Value local = m.getValue().get(key);
        if (!Objects.equals(expected, local)) {
          if (writtenWhileStarting(m.getKey(), key, local, e)) {
            whileStarting.add(m.getKey());
          } else if (keptAcrossResync(m.getKey(), key, local, e)) {
            acrossResync.add(m.getKey());
          } else {
            diverged.add(m.getKey());
          }
        }
      }
      if (!acrossResync.isEmpty()) {
        out.add(
            new Violation(
                name(),
                KEPT_ACROSS_RESYNC,
                "key "
                    + key
                    + ": "
                    + acrossResync
                    + " kept their own"
                    + " committed write although the store overwrote it before their agent resynced from a snapshot",
                KeyStory.of(key, e)));
      }
      if (!diverged.isEmpty()) {
        out.add(
            new Violation(
                name(),
                DIVERGED,
                "key " + key + ": " + diverged + " differ from the store",
                KeyStory.of(key, e)));
      }
      if (!whileStarting.isEmpty()) {
        out.add(
            new Violation(
                name(),
                WRITTEN_WHILE_STARTING,
                "key "
                    + key
                    + ": "
                    + whileStarting
                    + " hold their own"
                    + " network function's write made while their agent was starting; it never reached the store",
                KeyStory.of(key, e)));
      }
      String origin = provenance(key, expected, e);
      if (origin != null) {
        out.add(
            new Violation(
                name(),
                "phantom",
                "key " + key + ": the store holds " + origin,
                KeyStory.of(key, e)));
      }
    }
    return out;
  }

  /**
   * True if the member's value is its own last write to the key, made while its agent was starting.
   */
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

  /**
   * True if the member's value is the result of its own last write to the key (a put, or a delete
   * leaving it absent), that write was committed (some watcher saw it), the store's value is from a
   * later revision, and the member's agent resynced from a snapshot at or after that revision.
   */
  private static boolean keptAcrossResync(String member, Key key, Value local, Evidence e) {
    Op own = null;
    for (Op o : e.history().opsOn(key)) {
      if (o.source().equals("map@" + member) && o.outcome() == Op.Outcome.WRITTEN) {
        own = o;
      }
    }
    if (own == null || !Objects.equals(own.result(), local)) {
      return false;
    }
    long committedAt =
        e.watches().stream()
            .flatMap(w -> w.events().stream())
            .filter(ev -> key.equals(ev.key()) && Objects.equals(local, ev.value()))
            .mapToLong(ev -> ev.revision())
            .min()
            .orElse(-1);
    StoredValue stored = e.store().entries().get(key);
    long storeRevision = stored != null ? stored.modRevision() : lastDeleteRevision(key, e);
    MemberState state =
        e.members().stream().filter(m -> m.member().equals(member)).findFirst().orElse(null);
    return committedAt > 0
        && state != null
        && storeRevision > committedAt
        && state.resyncRevisions().stream().anyMatch(r -> r >= storeRevision);
  }

  /** The revision of the last delete of the key any watcher saw, or MAX if none did. */
  private static long lastDeleteRevision(Key key, Evidence e) {
    return e.watches().stream()
        .flatMap(w -> w.events().stream())
        .filter(ev -> key.equals(ev.key()) && ev.value() == null)
        .mapToLong(ev -> ev.revision())
        .max()
        .orElse(Long.MAX_VALUE);
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
