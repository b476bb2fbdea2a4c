package io.mapsync.examples.lb;

import java.nio.file.Path;

/**
 * Prints what LB hosts hold: counters and sessions, one line each, readable (bpftool would print
 * addresses as integers).
 *
 * <pre>LbShow lb1=/sys/fs/bpf/mapsync-lb/mslb/lb1 lb2=/sys/fs/bpf/mapsync-lb/mslb/lb2</pre>
 */
public final class LbShow {
  private LbShow() {}

  public static void main(String[] args) {
    long now = System.nanoTime(); // bpf_ktime_get_ns() and nanoTime() are both CLOCK_MONOTONIC
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      LbState lb = new LbState(Path.of(arg.substring(eq + 1)));
      System.out.printf("%s  counters %s%n", name, lb.counters());
      var sessions = lb.sessions();
      if (sessions.isEmpty()) {
        System.out.printf("%s  no sessions%n", name);
      }
      for (LbLayout.Session s : sessions) {
        System.out.printf(
            "%s  session %s  (first packet %.1f s ago)%n", name, s, (now - s.createdNs()) / 1e9);
      }
    }
  }
}
