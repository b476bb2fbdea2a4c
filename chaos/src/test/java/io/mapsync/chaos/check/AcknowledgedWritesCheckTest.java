package io.mapsync.chaos.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.history.Key;
import io.mapsync.chaos.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcknowledgedWritesCheckTest {
  private final Check check = new AcknowledgedWritesCheck();
  private final Key key = Histories.clientKey(1);

  @Test
  void theLastAcknowledgedPutEverywhereIsFine() {
    Histories h = new Histories().members("n1", "n2");
    h.put(key, Op.Outcome.OK);
    Op last = h.put(key, Op.Outcome.OK);
    h.everywhere(key, last, last.revision());
    assertEquals(List.of(), check.check(h.evidence()));
  }

  @Test
  void anOverwrittenValueIsALostWrite() {
    Histories h = new Histories().members("n1", "n2");
    Op first = h.put(key, Op.Outcome.OK);
    h.put(key, Op.Outcome.OK);
    h.everywhere(key, first, first.revision());
    List<Violation> v = check.check(h.evidence());
    assertEquals(3, v.size(), v.toString()); // the store and both maps
    assertTrue(v.get(0).summary().contains(key.toString()), v.get(0).toString());
    assertTrue(
        String.join("\n", v.get(0).details()).contains("last acknowledged"), v.get(0).toString());
  }

  @Test
  void anUnknownPutMayLandAfterALaterAcknowledgedOne() {
    Histories h = new Histories().members("n1");
    Op unknown = h.put(key, Op.Outcome.UNKNOWN);
    h.put(key, Op.Outcome.OK);
    h.everywhere(key, unknown, 99);
    assertEquals(List.of(), check.check(h.evidence()));
  }

  @Test
  void anAcknowledgedPutMissingFromOneMapIsReportedForThatMap() {
    Histories h = new Histories().members("n1", "n2");
    Op put = h.put(key, Op.Outcome.OK);
    h.everywhere(key, put, put.revision());
    h.maps.get("n2").remove(key);
    List<Violation> v = check.check(h.evidence());
    assertEquals(1, v.size(), v.toString());
    assertTrue(v.get(0).summary().contains("n2's map holds nothing"), v.get(0).toString());
  }

  @Test
  void anAcknowledgedDeleteMustLeaveTheKeyAbsent() {
    Histories h = new Histories().members("n1");
    Op put = h.put(key, Op.Outcome.OK);
    h.delete(key, Op.Outcome.OK);
    h.everywhere(key, put, put.revision());
    assertEquals(2, check.check(h.evidence()).size());
  }

  @Test
  void aValueStoredAtAnotherRevisionThanAcknowledgedWasAppliedTwice() {
    Histories h = new Histories().members("n1");
    Op put = h.put(key, Op.Outcome.OK);
    h.everywhere(key, put, put.revision() + 5);
    List<Violation> v = check.check(h.evidence());
    assertEquals(1, v.size(), v.toString());
    assertTrue(v.get(0).summary().contains("applied twice"), v.get(0).toString());
  }

  @Test
  void keysWithNothingAcknowledgedMayBeAbsent() {
    Histories h = new Histories().members("n1");
    h.put(key, Op.Outcome.UNKNOWN);
    assertEquals(List.of(), check.check(h.evidence()));
  }
}
