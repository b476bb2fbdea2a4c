package io.mapsync.chaos.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import io.mapsync.chaos.traffic.WatchLog;
import io.mapsync.chaos.traffic.WatchedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchChecksTest {
  private final Key k1 = Histories.clientKey(1);
  private final Key k2 = Histories.clientKey(2);

  private static WatchLog log(List<WatchedEvent> events, List<WatchLog.Resync> resyncs) {
    return new WatchLog("n1", events, resyncs, List.of());
  }

  private static WatchedEvent ev(long response, Op op) {
    return new WatchedEvent(response, op.revision(), op.key(), op.result(), 0);
  }

  private static List<String> kinds(List<Violation> v) {
    return v.stream().map(Violation::kind).toList();
  }

  @Test
  void aCompleteOrderedStreamPasses() {
    Histories h = new Histories().members("n1");
    Op a = h.put(k1, Op.Outcome.OK);
    Op b = h.put(k2, Op.Outcome.OK);
    h.everywhere(k1, a, a.revision()).everywhere(k2, b, b.revision());
    h.watches.add(log(List.of(ev(1, a), ev(2, b)), List.of()));
    assertEquals(List.of(), new WatchOrderCheck().check(h.evidence()));
    assertEquals(List.of(), new WatchGapCheck().check(h.evidence()));
  }

  @Test
  void aRedeliveredEventIsADuplicateAndGoesBack() {
    Histories h = new Histories().members("n1");
    Op a = h.put(k1, Op.Outcome.OK);
    Op b = h.put(k2, Op.Outcome.OK);
    h.watches.add(log(List.of(ev(1, a), ev(2, b), ev(3, a)), List.of()));
    List<String> kinds = kinds(new WatchOrderCheck().check(h.evidence()));
    assertTrue(kinds.contains("went-back"), kinds.toString());
    assertTrue(kinds.contains("delivered-twice"), kinds.toString());
  }

  @Test
  void twoValuesOfOneKeyAtOneRevisionAreToldApartFromDuplicates() {
    Histories h = new Histories().members("n1");
    Op a = h.put(k1, Op.Outcome.OK);
    WatchedEvent first = ev(1, a);
    WatchedEvent second =
        new WatchedEvent(1, a.revision(), k1, io.mapsync.chaos.history.Value.forOp(999), 0);
    h.watches.add(log(List.of(first, second), List.of()));
    assertEquals(
        List.of("two-changes-one-revision"), kinds(new WatchOrderCheck().check(h.evidence())));
  }

  @Test
  void aSkippedAcknowledgedWriteIsAGap() {
    Histories h = new Histories().members("n1");
    Op a = h.put(k1, Op.Outcome.OK);
    Op b = h.put(k1, Op.Outcome.OK);
    Op c = h.put(k2, Op.Outcome.OK);
    h.everywhere(k1, b, b.revision()).everywhere(k2, c, c.revision());
    // b never arrives: the watch folds to a's value, and it skipped an acknowledged write
    h.watches.add(log(List.of(ev(1, a), ev(2, c)), List.of()));
    List<Violation> v = new WatchGapCheck().check(h.evidence());
    assertEquals(2, v.size(), v.toString());
    assertTrue(v.get(1).summary().contains("skipped 1"), v.toString());
  }

  @Test
  void aResyncCoversTheRevisionsItJumpedOver() {
    Histories h = new Histories().members("n1");
    Op a = h.put(k1, Op.Outcome.OK);
    Op b = h.put(k1, Op.Outcome.OK);
    Op c = h.put(k2, Op.Outcome.OK);
    h.everywhere(k1, b, b.revision()).everywhere(k2, c, c.revision());
    List<WatchedEvent> events = new ArrayList<>(List.of(ev(1, a), ev(2, c)));
    WatchLog.Resync resync =
        new WatchLog.Resync(b.revision(), Map.of(k1, b.value()), 1, 0, "compacted");
    h.watches.add(log(events, List.of(resync)));
    assertEquals(List.of(), new WatchGapCheck().check(h.evidence()));
    assertEquals(List.of(), new WatchOrderCheck().check(h.evidence()));
  }

  @Test
  void eventsAtOrBeforeTheResyncRevisionAreReported() {
    Histories h = new Histories().members("n1");
    Op a = h.put(k1, Op.Outcome.OK);
    Op b = h.put(k2, Op.Outcome.OK);
    WatchLog.Resync resync = new WatchLog.Resync(b.revision(), Map.of(), 0, 0, "compacted");
    h.watches.add(log(List.of(ev(1, a)), List.of(resync)));
    assertTrue(kinds(new WatchOrderCheck().check(h.evidence())).contains("before-resync"));
  }
}
