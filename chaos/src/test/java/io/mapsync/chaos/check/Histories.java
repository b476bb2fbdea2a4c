package io.mapsync.chaos.check;

import io.mapsync.chaos.cluster.Incarnation;
import io.mapsync.chaos.history.History;
import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.history.Read;
import io.mapsync.chaos.history.Value;
import io.mapsync.chaos.traffic.WatchLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds made-up evidence for the checks' own tests: a history, a store, maps and watches. */
final class Histories {
  final History history = new History();
  final Map<Key, StoredValue> store = new HashMap<>();
  final Map<String, Map<Key, Value>> maps = new LinkedHashMap<>();
  final List<WatchLog> watches = new ArrayList<>();
  final List<Incarnation> incarnations = new ArrayList<>();
  long revision;
  final Map<String, List<Long>> resyncs = new HashMap<>();

  static Key clientKey(int n) {
    return new Key(Key.Space.CLIENT, n);
  }

  static Key mapKey(int n) {
    return new Key(Key.Space.MAP, n);
  }

  Histories members(String... ids) {
    for (String id : ids) {
      maps.put(id, new HashMap<>());
    }
    return this;
  }

  /** A client put with the given outcome; returns the value it wrote. */
  Op put(Key key, Op.Outcome outcome) {
    long id = history.nextId();
    Op op =
        new Op(
            id,
            "client@n1",
            Op.Kind.PUT,
            key,
            Value.forOp(id),
            id * 10,
            id * 10 + 5,
            outcome,
            outcome == Op.Outcome.OK ? ++revision : 0,
            outcome == Op.Outcome.OK ? "" : "no answer");
    history.record(op);
    return op;
  }

  Op delete(Key key, Op.Outcome outcome) {
    long id = history.nextId();
    Op op =
        new Op(
            id,
            "client@n1",
            Op.Kind.DELETE,
            key,
            null,
            id * 10,
            id * 10 + 5,
            outcome,
            outcome == Op.Outcome.OK ? ++revision : 0,
            "");
    history.record(op);
    return op;
  }

  /** A client put sent at {@code invoke} and answered (or given up) at {@code complete}. */
  Op putAt(Key key, Op.Outcome outcome, long invoke, long complete) {
    long id = history.nextId();
    Op op =
        new Op(
            id,
            "client@n1",
            Op.Kind.PUT,
            key,
            Value.forOp(id),
            invoke,
            complete,
            outcome,
            outcome == Op.Outcome.OK ? ++revision : 0,
            outcome == Op.Outcome.OK ? "" : "no answer");
    history.record(op);
    return op;
  }

  /**
   * A linearizable get through n2 that returned {@code seen}'s value (null: absent) at the current
   * revision.
   */
  Read get(Key key, Op seen, long invoke, long complete) {
    return get(key, seen, invoke, complete, true);
  }

  Read get(Key key, Op seen, long invoke, long complete, boolean linearizable) {
    Value v = seen == null ? null : seen.value();
    long mod = seen == null ? 0 : seen.revision();
    Read r =
        new Read(
            history.nextId(),
            "reader@n2",
            linearizable,
            key,
            v,
            invoke,
            complete,
            true,
            revision,
            mod,
            "");
    history.record(r);
    return r;
  }

  Op mapWrite(Key key) {
    long id = history.nextId();
    Op op =
        new Op(
            id,
            "map@n2",
            Op.Kind.PUT,
            key,
            Value.forOp(id),
            id * 10,
            id * 10 + 1,
            Op.Outcome.WRITTEN,
            0,
            "");
    history.record(op);
    return op;
  }

  /** The store and every map hold this value (what a healthy cluster ends with). */
  Histories everywhere(Key key, Op op, long modRevision) {
    store.put(key, new StoredValue(op.value(), modRevision));
    maps.values().forEach(m -> m.put(key, op.value()));
    return this;
  }

  Evidence evidence() {
    List<MemberState> members = new ArrayList<>();
    maps.keySet()
        .forEach(
            id ->
                members.add(
                    new MemberState(id, revision, 0, "", 0, resyncs.getOrDefault(id, List.of()))));
    return new Evidence(
        history, new StoreContent(revision, store), maps, watches, incarnations, members);
  }
}
