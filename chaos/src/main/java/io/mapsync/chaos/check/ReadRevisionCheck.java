package io.mapsync.chaos.check;

import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.history.Read;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every get promises, serializable ones included: its answer is the key as the store held it
 * at the answer's revision. A serializable get may be stale (a member's replica lags), so it is not
 * judged against real time; but the value it returns was written to that key by a recorded put sent
 * before the get returned, at the mod revision it reports, and no acknowledged write of the key
 * falls between that mod revision and the answer's revision (else the answer is not the store at
 * any revision). An absent key at revision R means the last acknowledged write at or before R was a
 * delete, or an unknown delete may have landed after it.
 */
final class ReadRevisionCheck implements Check {
  private String stats = "";

  @Override
  public String name() {
    return "read-revisions";
  }

  @Override
  public String stats() {
    return stats;
  }

  @Override
  public List<Violation> check(Evidence e) {
    List<Violation> out = new ArrayList<>();
    Map<Key, List<Op>> writes = e.history().byKey();
    long serializable = 0;
    long all = 0;
    for (Read r : e.history().reads()) {
      if (!r.ok()) {
        continue;
      }
      all++;
      serializable += r.linearizable() ? 0 : 1;
      List<Op> ops = writes.getOrDefault(r.key(), List.of());
      String problem = r.value() == null ? absentProblem(r, ops) : valueProblem(r, ops, e);
      if (problem != null) {
        List<String> details = new ArrayList<>();
        details.add("the get: " + r);
        details.addAll(KeyStory.of(r.key(), e));
        out.add(
            new Violation(
                name(),
                r.linearizable() ? "linearizable" : "serializable",
                "key " + r.key() + ": " + problem,
                details));
      }
    }
    stats = all + " answered gets (" + serializable + " serializable)";
    return out;
  }

  private static String valueProblem(Read r, List<Op> ops, Evidence e) {
    Optional<Op> writer = e.history().op(r.value().opId());
    if (writer.isEmpty()
        || !writer.get().key().equals(r.key())
        || writer.get().kind() != Op.Kind.PUT) {
      return "#" + r.id() + " returned " + r.value() + ", which no put of this key wrote";
    }
    Op w = writer.get();
    if (w.invokedMs() > r.completedMs()) {
      return "#"
          + r.id()
          + " returned "
          + r.value()
          + " of put #"
          + w.id()
          + ", sent after the get returned";
    }
    if (w.acknowledged() && w.revision() != r.modRevision()) {
      return "#"
          + r.id()
          + " reports mod_revision "
          + r.modRevision()
          + " for put #"
          + w.id()
          + ", acknowledged at revision "
          + w.revision();
    }
    if (r.modRevision() > r.revision()) {
      return "#"
          + r.id()
          + " reports mod_revision "
          + r.modRevision()
          + " past its own revision "
          + r.revision();
    }
    for (Op o : ops) {
      if (o.acknowledged() && o.revision() > r.modRevision() && o.revision() <= r.revision()) {
        return "#"
            + r.id()
            + " at revision "
            + r.revision()
            + " returned the value of revision "
            + r.modRevision()
            + ", but #"
            + o.id()
            + " was acknowledged at revision "
            + o.revision()
            + " in between";
      }
    }
    return null;
  }

  private static String absentProblem(Read r, List<Op> ops) {
    Op lastAcked = null;
    for (Op o : ops) {
      if (o.acknowledged()
          && o.revision() <= r.revision()
          && (lastAcked == null || o.revision() > lastAcked.revision())) {
        lastAcked = o;
      }
    }
    if (lastAcked == null || lastAcked.kind() == Op.Kind.DELETE) {
      return null;
    }
    for (Op o : ops) {
      if (o.kind() == Op.Kind.DELETE
          && o.outcome() == Op.Outcome.UNKNOWN
          && o.invokedMs() <= r.completedMs()) {
        return null;
      }
    }
    return "#"
        + r.id()
        + " found the key absent at revision "
        + r.revision()
        + ", but put #"
        + lastAcked.id()
        + " was acknowledged at revision "
        + lastAcked.revision()
        + " and no delete can have followed it";
  }
}
