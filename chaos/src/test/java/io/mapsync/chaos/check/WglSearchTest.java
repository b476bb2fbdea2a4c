package io.mapsync.chaos.check;

import static io.mapsync.chaos.check.RegisterOp.NEVER;
import static io.mapsync.chaos.check.RegisterOp.read;
import static io.mapsync.chaos.check.RegisterOp.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.chaos.check.WglSearch.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The search on made-up register histories (value 0 is "absent"), those that must fail and those
 * that must pass.
 */
class WglSearchTest {
  private static Verdict verdict(RegisterOp... ops) {
    return WglSearch.check(List.of(ops), 0, 1_000_000).verdict();
  }

  @Test
  void sequentialWritesAndReadsOfTheLastValuePass() {
    assertEquals(
        Verdict.LINEARIZABLE,
        verdict(
            write(1, 1, 0, 10),
            read(2, 1, 20, 30),
            write(3, 2, 40, 50),
            read(4, 2, 60, 70),
            write(5, 0, 80, 90),
            read(6, 0, 100, 110)));
  }

  @Test
  void aStaleReadFails() {
    // 2 was acknowledged before the read was sent; the read still returned 1
    assertEquals(
        Verdict.NOT_LINEARIZABLE,
        verdict(write(1, 1, 0, 10), write(2, 2, 20, 30), read(3, 1, 40, 50)));
  }

  @Test
  void aReadConcurrentWithAWriteMaySeeEitherValue() {
    assertEquals(
        Verdict.LINEARIZABLE, verdict(write(1, 1, 0, 10), write(2, 2, 20, 60), read(3, 1, 30, 40)));
    assertEquals(
        Verdict.LINEARIZABLE, verdict(write(1, 1, 0, 10), write(2, 2, 20, 60), read(3, 2, 30, 40)));
  }

  @Test
  void readsMustNotGoBackWhileAWriteIsInFlight() {
    // read 3 saw the new value, a later read 4 the old one: the write cannot have happened in
    // between twice
    assertEquals(
        Verdict.NOT_LINEARIZABLE,
        verdict(write(1, 1, 0, 10), write(2, 2, 20, 100), read(3, 2, 30, 40), read(4, 1, 50, 60)));
  }

  @Test
  void aLostWriteFails() {
    // acknowledged, then the final read finds the key absent
    assertEquals(Verdict.NOT_LINEARIZABLE, verdict(write(1, 1, 0, 10), read(2, 0, 20, 30)));
  }

  @Test
  void aValueNeverWrittenFails() {
    assertEquals(Verdict.NOT_LINEARIZABLE, verdict(write(1, 1, 0, 10), read(2, 7, 20, 30)));
  }

  @Test
  void anIndeterminateWriteMayTakeEffectLateOrNever() {
    // never: the reads see the earlier value throughout
    assertEquals(
        Verdict.LINEARIZABLE,
        verdict(
            write(1, 1, 0, 10), write(2, 2, 20, NEVER), read(3, 1, 30, 40), read(4, 1, 500, 510)));
    // late: long after its client gave up
    assertEquals(
        Verdict.LINEARIZABLE,
        verdict(
            write(1, 1, 0, 10), write(2, 2, 20, NEVER), read(3, 1, 30, 40), read(4, 2, 500, 510)));
    // even after a later acknowledged write of the same client
    assertEquals(
        Verdict.LINEARIZABLE,
        verdict(
            write(1, 1, 0, 10), write(2, 2, 20, NEVER), write(3, 3, 30, 40), read(4, 2, 500, 510)));
  }

  @Test
  void aReadOfAnIndeterminateWriteThatLaterVanishesFails() {
    // read 3 saw the unknown write 2 take effect; read 4 finds the value before it again, with no
    // write since
    assertEquals(
        Verdict.NOT_LINEARIZABLE,
        verdict(
            write(1, 1, 0, 10), write(2, 2, 20, NEVER), read(3, 2, 30, 40), read(4, 1, 50, 60)));
  }

  @Test
  void touchingOperationsAreConcurrent() {
    // the write's answer and the read's invocation in the same millisecond: either order
    assertEquals(
        Verdict.LINEARIZABLE, verdict(write(1, 1, 0, 10), write(2, 2, 10, 20), read(3, 1, 20, 30)));
  }

  @Test
  void theDeepestStuckPointIsReported() {
    WglSearch.Result r =
        WglSearch.check(
            List.of(write(1, 1, 0, 10), write(2, 2, 20, 30), read(3, 1, 40, 50)), 0, 1000);
    assertEquals(2, r.longestPrefix());
    assertEquals(3, r.stuckAt().id());
  }

  @Test
  void aSearchPastItsBudgetIsInconclusiveNotAPass() {
    List<RegisterOp> ops = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ops.add(write(i, i + 1, 0, NEVER));
    }
    ops.add(read(99, 77, 5, 6));
    assertEquals(Verdict.INCONCLUSIVE, WglSearch.check(ops, 0, 100).verdict());
  }

  @Test
  void aBigHistoryWithSomeConcurrencyFinishesQuickly() {
    // one writer, eight readers, 20,000 operations, a few indeterminate writes: memoization keeps
    // it near-linear
    Random random = new Random(42);
    List<RegisterOp> ops = new ArrayList<>();
    int value = 0;
    long t = 0;
    long id = 0;
    for (int i = 0; i < 2_000; i++) {
      int v = i + 1;
      boolean unknown = random.nextInt(50) == 0;
      ops.add(write(id++, v, t, unknown ? NEVER : t + 10));
      if (!unknown) {
        value = v;
      }
      for (int r = 0; r < 9; r++) {
        ops.add(read(id++, value, t + 11 + r, t + 15 + r));
      }
      t += 30;
    }
    long t0 = System.nanoTime();
    WglSearch.Result r = WglSearch.check(ops, 0, 5_000_000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(Verdict.LINEARIZABLE, r.verdict());
    assertTrue(ms < 20_000, "took " + ms + " ms");
  }

  @Test
  void anOperationThatCompletesBeforeItStartsIsRefusedWithItsId() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> write(5, 1, 10, 5));
    assertTrue(e.getMessage().contains("#5"), e.getMessage());
  }
}
