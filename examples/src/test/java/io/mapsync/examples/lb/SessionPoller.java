package io.mapsync.examples.lb;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.MapEntry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches an LB host's session map from the test, to time when sessions appear in it. The time is
 * taken against each session's created_ns, written by the datapath of the LB that saw the flow's
 * first packet: bpf_ktime_get_ns() and System.nanoTime() read the same CLOCK_MONOTONIC (one machine
 * here; across real hosts the clocks would differ).
 */
final class SessionPoller implements AutoCloseable {
  /** A session and when the poller first saw it. */
  record Seen(LbLayout.Session session, long seenNanos) {
    /** From the flow's first packet (at the first LB) to the session's presence here. */
    double propagationMillis() {
      return (seenNanos - session.createdNs()) / 1e6;
    }
  }

  private final BpfMap map;

  SessionPoller(LbState lb) {
    this.map = BpfMap.openPinned(lb.sessionsPin());
  }

  /**
   * Polls (every ~100 us) until a session for each client port is present; returns them by port.
   */
  Map<Integer, Seen> await(Set<Integer> clientPorts, Duration timeout) {
    Map<Integer, Seen> seen = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (seen.size() < clientPorts.size()) {
      var entries = map.dump();
      long now =
          System.nanoTime(); // after the dump: a session is never timed earlier than it was there
      for (MapEntry e : entries) {
        if (!LbLayout.isReply(e.key())) {
          continue; // the flow's request-direction entry
        }
        LbLayout.Session s = LbLayout.session(e.key(), e.value());
        if (clientPorts.contains(s.client().port())) {
          seen.putIfAbsent(s.client().port(), new Seen(s, now));
        }
      }
      if (now > deadline) {
        throw new AssertionError(
            "after "
                + timeout
                + " only "
                + seen.keySet()
                + " of the sessions "
                + clientPorts
                + " had reached the map");
      }
      LockSupport.parkNanos(100_000);
    }
    return seen;
  }

  @Override
  public void close() {
    map.close();
  }
}
