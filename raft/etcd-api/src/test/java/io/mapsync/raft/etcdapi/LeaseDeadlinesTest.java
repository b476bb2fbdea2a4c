package io.mapsync.raft.etcdapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The leader's lease clock, on a clock the test moves. */
class LeaseDeadlinesTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final LeaseDeadlines deadlines = new LeaseDeadlines(now::get);

  private void advanceSeconds(double s) {
    now.addAndGet((long) (s * TimeUnit.SECONDS.toNanos(1)));
  }

  @Test
  void aLeaseFirstSeenGetsItsFullTtlAndRunsOutAfterIt() {
    Map<Long, Long> leases = Map.of(1L, 10L);
    assertEquals(List.of(), deadlines.takeExpired(leases));
    advanceSeconds(4.5);
    assertEquals(5, deadlines.remainingSeconds(1, 10), "whole seconds, truncated as etcd does");
    advanceSeconds(5.5);
    assertEquals(List.of(1L), deadlines.takeExpired(leases));
    assertEquals(
        List.of(), deadlines.takeExpired(leases), "a lease being revoked is handed out once");
    assertEquals(-1, deadlines.renew(1, 10), "a keep-alive cannot revive a lease that ran out");
    assertEquals(0, deadlines.remainingSeconds(1, 10));
  }

  @Test
  void aKeepAliveRestartsTheFullTtl() {
    Map<Long, Long> leases = Map.of(1L, 10L);
    deadlines.takeExpired(leases);
    advanceSeconds(9);
    assertEquals(10, deadlines.renew(1, 10));
    advanceSeconds(9);
    assertEquals(List.of(), deadlines.takeExpired(leases));
    advanceSeconds(1);
    assertEquals(List.of(1L), deadlines.takeExpired(leases));
  }

  @Test
  void aResetGivesEveryLeaseItsFullTtlAgain() {
    Map<Long, Long> leases = Map.of(1L, 10L, 2L, 3L);
    deadlines.takeExpired(leases);
    advanceSeconds(9);
    deadlines.reset();
    assertEquals(List.of(), deadlines.takeExpired(leases), "the leader's next look restarts both");
    advanceSeconds(1);
    assertEquals(9, deadlines.remainingSeconds(1, 10));
    advanceSeconds(8);
    assertEquals(List.of(2L), deadlines.takeExpired(leases));
  }

  @Test
  void aFailedRevokeIsRetriedAndAGoneLeaseIsForgotten() {
    Map<Long, Long> leases = Map.of(1L, 1L);
    deadlines.takeExpired(leases);
    advanceSeconds(2);
    assertEquals(List.of(1L), deadlines.takeExpired(leases));
    deadlines.revokeFailed(1);
    assertEquals(List.of(1L), deadlines.takeExpired(leases));
    assertEquals(List.of(), deadlines.takeExpired(Map.of()));
    assertEquals(
        1,
        deadlines.remainingSeconds(1, 1),
        "a lease granted again under the same id starts afresh");
  }
}
