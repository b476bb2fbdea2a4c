package io.mapsync.examples.lb;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shows live what LB hosts' maps do: each session as it arrives (and how long after its flow's
 * first packet), and, when they change, the replies each host sent on the short path.
 *
 * <pre>LbWatch SECONDS lb2=/sys/fs/bpf/mapsync-lb/mslb/lb2 ...   (0 seconds: until killed)</pre>
 */
public final class LbWatch {
  private LbWatch() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 2) {
      System.err.println("usage: LbWatch SECONDS NAME=PIN_ROOT...");
      System.exit(2);
    }
    long end = Long.parseLong(args[0]) * 1_000_000_000L;
    Map<String, LbState> hosts = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      hosts.put(args[i].substring(0, eq), new LbState(Path.of(args[i].substring(eq + 1))));
    }
    Map<String, Set<LbLayout.Session>> seen = new HashMap<>();
    Map<String, String> lastCounters = new HashMap<>();
    long started = System.nanoTime();
    for (long tick = 0; end == 0 || System.nanoTime() - started < end; tick++) {
      for (Map.Entry<String, LbState> h : hosts.entrySet()) {
        Set<LbLayout.Session> known = seen.computeIfAbsent(h.getKey(), k -> new HashSet<>());
        List<LbLayout.Session> sessions = h.getValue().sessions();
        // After the read, so the age is an upper bound; bpf_ktime_get_ns() is CLOCK_MONOTONIC too.
        long now = System.nanoTime();
        for (LbLayout.Session s : sessions) {
          if (known.add(s)) {
            System.out.printf(
                "   %s  + session %s, at most %.0f ms after its first packet%n",
                h.getKey(), s, (now - s.createdNs()) / 1e6);
          }
        }
        if (tick % 10 == 0) {
          Map<String, Long> c = h.getValue().counters();
          String line =
              String.format(
                  "replies on the short path: %d from a session, %d derived; %d leaked, %d dropped;"
                      + " requests forwarded %d",
                  c.get("replies_translated"),
                  c.get("replies_derived"),
                  c.get("replies_unknown"),
                  c.get("replies_dropped"),
                  c.get("forwarded"));
          if (!line.equals(lastCounters.put(h.getKey(), line))) {
            System.out.printf("   %s  %s%n", h.getKey(), line);
          }
        }
      }
      System.out.flush();
      Thread.sleep(100);
    }
  }
}
