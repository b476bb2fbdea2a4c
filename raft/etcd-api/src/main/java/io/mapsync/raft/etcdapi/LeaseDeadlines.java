package io.mapsync.raft.etcdapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * When each lease runs out, as the leader sees it. Deadlines are not replicated state: time is not
 * deterministic across replicas, and keep-alives never enter the log. The leader keeps them in
 * memory, and a new leader starts every lease afresh at its full TTL (what etcd does), so a
 * failover can only lengthen a lease, never cut one short.
 */
final class LeaseDeadlines {
  private final LongSupplier nanoClock;
  private final Map<Long, Long> deadlines = new HashMap<>();
  private final Set<Long> revoking = new HashSet<>();

  LeaseDeadlines(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Forgets every deadline: the next look at a lease starts it at its full TTL. */
  synchronized void reset() {
    deadlines.clear();
    revoking.clear();
  }

  /**
   * A keep-alive: the lease lives another full TTL. Returns the TTL granted, or -1 if the lease has
   * already run out (its revoke is on the way; etcd answers such a keep-alive "not found").
   */
  synchronized long renew(long id, long ttlSeconds) {
    if (expired(id)) {
      return -1;
    }
    deadlines.put(id, nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(ttlSeconds));
    return ttlSeconds;
  }

  /**
   * Whole seconds left (etcd truncates); the full TTL for a lease not seen before, 0 if run out.
   */
  synchronized long remainingSeconds(long id, long ttlSeconds) {
    if (expired(id)) {
      return 0;
    }
    long deadline =
        deadlines.computeIfAbsent(
            id, k -> nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(ttlSeconds));
    return Math.max(0, TimeUnit.NANOSECONDS.toSeconds(deadline - nanoClock.getAsLong()));
  }

  /**
   * Brings the deadlines in line with the leases that exist (id to TTL seconds) and returns those
   * that ran out and are not yet being revoked; they count as being revoked from now on.
   */
  synchronized List<Long> takeExpired(Map<Long, Long> existing) {
    long now = nanoClock.getAsLong();
    deadlines.keySet().retainAll(existing.keySet());
    revoking.retainAll(existing.keySet());
    List<Long> expired = new ArrayList<>();
    existing.forEach(
        (id, ttl) -> {
          long deadline = deadlines.computeIfAbsent(id, k -> now + TimeUnit.SECONDS.toNanos(ttl));
          if (deadline - now <= 0 && revoking.add(id)) {
            expired.add(id);
          }
        });
    return expired;
  }

  /** A revoke that did not go through: the next look tries again. */
  synchronized void revokeFailed(long id) {
    revoking.remove(id);
  }

  private boolean expired(long id) {
    Long deadline = deadlines.get(id);
    return revoking.contains(id) || (deadline != null && deadline - nanoClock.getAsLong() <= 0);
  }
}
