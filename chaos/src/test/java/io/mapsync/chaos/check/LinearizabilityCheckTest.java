package io.mapsync.chaos.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The linearizability and read-revision checks on made-up client histories. */
class LinearizabilityCheckTest {
  private final Key key = Histories.clientKey(1);

  private static List<Violation> linearizable(Histories h) {
    return new LinearizabilityCheck().check(h.evidence());
  }

  private static List<Violation> revisions(Histories h) {
    return new ReadRevisionCheck().check(h.evidence());
  }

  @Test
  void readsOfTheCurrentValuePass() {
    Histories h = new Histories().members("n1");
    Op a = h.putAt(key, Op.Outcome.OK, 0, 10);
    h.get(key, a, 20, 30);
    Op b = h.putAt(key, Op.Outcome.OK, 40, 50);
    h.get(key, b, 60, 70);
    h.everywhere(key, b, b.revision());
    assertEquals(List.of(), linearizable(h));
    assertEquals(List.of(), revisions(h));
  }

  @Test
  void aStaleLinearizableReadFailsWithTheKeysStory() {
    Histories h = new Histories().members("n1");
    Op a = h.putAt(key, Op.Outcome.OK, 0, 10);
    Op b = h.putAt(key, Op.Outcome.OK, 20, 30);
    h.get(key, a, 40, 50);
    h.everywhere(key, b, b.revision());
    List<Violation> v = linearizable(h);
    assertEquals(1, v.size(), v.toString());
    assertEquals("not-linearizable", v.get(0).kind());
    assertTrue(v.get(0).summary().contains(key.toString()), v.get(0).toString());
    assertTrue(String.join("\n", v.get(0).details()).contains("get " + key), v.get(0).toString());
  }

  @Test
  void aStaleSerializableReadIsAllowedIfItIsTheStoreAtItsRevision() {
    Histories h = new Histories().members("n1");
    Op a = h.putAt(key, Op.Outcome.OK, 0, 10);
    long revisionOfA = h.revision;
    Op b = h.putAt(key, Op.Outcome.OK, 20, 30);
    h.everywhere(key, b, b.revision());
    var stale =
        new io.mapsync.chaos.history.Read(
            h.history.nextId(),
            "reader@n3",
            false,
            key,
            a.value(),
            40,
            50,
            true,
            revisionOfA,
            a.revision(),
            "");
    h.history.record(stale);
    assertEquals(List.of(), linearizable(h));
    assertEquals(List.of(), revisions(h));
  }

  @Test
  void aSerializableReadThatIsNotTheStoreAtItsRevisionFails() {
    Histories h = new Histories().members("n1");
    Op a = h.putAt(key, Op.Outcome.OK, 0, 10);
    Op b = h.putAt(key, Op.Outcome.OK, 20, 30);
    h.everywhere(key, b, b.revision());
    h.get(key, a, 40, 50, false); // claims the current revision, returns the older value
    List<Violation> v = revisions(h);
    assertEquals(1, v.size(), v.toString());
    assertEquals("serializable", v.get(0).kind());
    assertTrue(v.get(0).summary().contains("#" + b.id()), v.get(0).toString());
  }

  @Test
  void aLostWriteFailsThroughTheFinalStoreRead() {
    Histories h = new Histories().members("n1");
    Op a = h.putAt(key, Op.Outcome.OK, 0, 10);
    h.putAt(key, Op.Outcome.OK, 20, 30);
    h.everywhere(key, a, a.revision());
    assertEquals("not-linearizable", linearizable(h).get(0).kind());
  }

  @Test
  void aValueNeverWrittenToTheKeyFails() {
    Histories h = new Histories().members("n1");
    Op a = h.putAt(key, Op.Outcome.OK, 0, 10);
    Op elsewhere = h.putAt(Histories.clientKey(2), Op.Outcome.OK, 0, 10);
    h.get(key, elsewhere, 20, 30);
    h.everywhere(key, a, a.revision());
    h.everywhere(Histories.clientKey(2), elsewhere, elsewhere.revision());
    List<Violation> v = linearizable(h);
    assertEquals(1, v.size(), v.toString());
    assertEquals("never-written", v.get(0).kind());
    assertEquals(1, revisions(h).size());
  }

  @Test
  void aReadIndeterminateWriteThatVanishesFails() {
    Histories h = new Histories().members("n1");
    Op a = h.putAt(key, Op.Outcome.OK, 0, 10);
    Op unknown = h.putAt(key, Op.Outcome.UNKNOWN, 20, 10_020);
    h.get(key, unknown, 30, 40);
    h.get(key, a, 50, 60);
    h.everywhere(key, a, a.revision());
    assertEquals("not-linearizable", linearizable(h).get(0).kind());
  }

  @Test
  void anIndeterminateWriteSeenLateOrNeverPasses() {
    Histories h = new Histories().members("n1");
    Op a = h.putAt(key, Op.Outcome.OK, 0, 10);
    Op unknown = h.putAt(key, Op.Outcome.UNKNOWN, 20, 10_020);
    h.get(key, a, 30, 40);
    h.get(key, unknown, 20_000, 20_010);
    h.everywhere(key, unknown, 99);
    assertEquals(List.of(), linearizable(h));
    Histories never = new Histories().members("n1");
    Op b = never.putAt(key, Op.Outcome.OK, 0, 10);
    never.putAt(key, Op.Outcome.UNKNOWN, 20, 10_020);
    never.get(key, b, 20_000, 20_010);
    never.everywhere(key, b, b.revision());
    assertEquals(List.of(), linearizable(never));
  }

  @Test
  void theVerdictLineSaysWhatWasSearched() {
    Histories h = new Histories().members("n1");
    Op a = h.putAt(key, Op.Outcome.OK, 0, 10);
    h.get(key, a, 20, 30);
    h.everywhere(key, a, a.revision());
    LinearizabilityCheck c = new LinearizabilityCheck();
    c.check(h.evidence());
    assertTrue(c.stats().startsWith("1 keys, 3 operations (1 linearizable gets)"), c.stats());
  }
}
