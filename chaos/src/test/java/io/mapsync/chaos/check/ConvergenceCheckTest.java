package io.mapsync.chaos.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.cluster.Incarnations;
import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.history.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvergenceCheckTest {
  private final Check check = new ConvergenceCheck();

  @Test
  void identicalMapsPass() {
    Histories h = new Histories().members("n1", "n2", "n3");
    Key k = Histories.mapKey(3);
    h.everywhere(k, h.mapWrite(k), 7);
    assertEquals(List.of(), check.check(h.evidence()));
  }

  @Test
  void aMapThatKeptAKeyTheStoreDeletedDiverges() {
    Histories h = new Histories().members("n1", "n2");
    Key k = Histories.mapKey(3);
    Op w = h.mapWrite(k);
    h.maps.get("n2").put(k, w.value());
    List<Violation> v = check.check(h.evidence());
    assertEquals(1, v.size(), v.toString());
    assertTrue(v.get(0).summary().contains("[n2]"), v.get(0).toString());
    assertTrue(
        String.join("\n", v.get(0).details()).contains("store (rev 0): absent"),
        v.get(0).toString());
  }

  @Test
  void aValueNoOperationWroteToThatKeyIsReported() {
    Histories h = new Histories().members("n1");
    Key k = Histories.mapKey(1);
    Key other = Histories.mapKey(2);
    Op w = h.mapWrite(other);
    h.everywhere(k, w, 3);
    List<Violation> v = check.check(h.evidence());
    assertEquals(1, v.size(), v.toString());
    assertTrue(v.get(0).summary().contains("wrote to key " + other), v.get(0).toString());
  }

  @Test
  void aMembersOwnWriteWhileItsAgentStartedIsToldApart() {
    Histories h = new Histories().members("n1", "n3");
    Key k = Histories.mapKey(9);
    Op remote = h.mapWrite(k);
    h.everywhere(k, remote, 4);
    long id = h.history.nextId();
    Op own =
        new Op(
            id,
            "map@n3",
            Op.Kind.PUT,
            k,
            Value.forOp(id),
            h.history.now(),
            h.history.now(),
            Op.Outcome.WRITTEN,
            0,
            "");
    h.history.record(own);
    h.maps.get("n3").put(k, own.value());
    java.time.Instant now = java.time.Instant.now();
    h.incarnations.add(Incarnations.startedAndReady("n3", now.minusSeconds(5), now.plusSeconds(5)));
    List<Violation> v = check.check(h.evidence());
    assertEquals(
        List.of("written-while-starting"), v.stream().map(Violation::kind).toList(), v.toString());
    h.incarnations.clear();
    h.incarnations.add(
        Incarnations.startedAndReady("n3", now.minusSeconds(60), now.minusSeconds(50)));
    assertEquals(
        List.of("diverged"), check.check(h.evidence()).stream().map(Violation::kind).toList());
  }

  @Test
  void anOwnCommittedWriteKeptAcrossAResyncIsToldApart() {
    Histories h = new Histories().members("n1", "n3");
    Key k = Histories.mapKey(4);
    long id = h.history.nextId();
    Op own = new Op(id, "map@n3", Op.Kind.PUT, k, Value.forOp(id), 1, 1, Op.Outcome.WRITTEN, 0, "");
    h.history.record(own);
    Op later = h.mapWrite(k);
    h.everywhere(k, later, 20);
    h.maps.get("n3").put(k, own.value());
    h.watches.add(
        new io.mapsync.chaos.traffic.WatchLog(
            "n1",
            List.of(
                new io.mapsync.chaos.traffic.WatchedEvent(1, 10, k, own.value(), 0),
                new io.mapsync.chaos.traffic.WatchedEvent(2, 20, k, later.value(), 0)),
            List.of(),
            List.of()));
    h.resyncs.put("n3", List.of(25L));
    assertEquals(
        List.of("kept-own-write-across-resync"),
        check.check(h.evidence()).stream().map(Violation::kind).toList());
    h.resyncs.put("n3", List.of(15L)); // resynced before the overwrite: not this bug
    assertEquals(
        List.of("diverged"), check.check(h.evidence()).stream().map(Violation::kind).toList());
  }

  @Test
  void anOwnCommittedDeleteKeptAcrossAResyncIsToldApart() {
    Histories h = new Histories().members("n1", "n3");
    Key k = Histories.mapKey(5);
    long id = h.history.nextId();
    h.history.record(
        new Op(id, "map@n3", Op.Kind.DELETE, k, null, 1, 1, Op.Outcome.WRITTEN, 0, ""));
    Op later = h.mapWrite(k);
    h.everywhere(k, later, 20);
    h.maps.get("n3").remove(k);
    h.watches.add(
        new io.mapsync.chaos.traffic.WatchLog(
            "n1",
            List.of(
                new io.mapsync.chaos.traffic.WatchedEvent(1, 10, k, null, 0),
                new io.mapsync.chaos.traffic.WatchedEvent(2, 20, k, later.value(), 0)),
            List.of(),
            List.of()));
    h.resyncs.put("n3", List.of(20L));
    assertEquals(
        List.of("kept-own-write-across-resync"),
        check.check(h.evidence()).stream().map(Violation::kind).toList());
  }

  @Test
  void foreignBytesAreReported() {
    Histories h = new Histories().members("n1");
    Key k = Histories.mapKey(1);
    Value junk = new Value(new byte[16]);
    h.store.put(k, new StoredValue(junk, 2));
    h.maps.get("n1").put(k, junk);
    assertTrue(check.check(h.evidence()).get(0).summary().contains("no recorded operation wrote"));
  }
}
