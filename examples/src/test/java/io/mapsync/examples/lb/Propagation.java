package io.mapsync.examples.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * How long a session takes from the flow's first packet at the LB it entered through to the map of
 * the LB its replies leave through, and what the client sees meanwhile. Asserts that once the reply
 * LB has a session, the flow's replies come from the VIP.
 */
final class Propagation {
  // Generous: on a loaded 2-core machine one session once took 8.6 s; this bounds a hang, not the
  // latency.
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private final List<Double> millis;
  private final int firstRepliesTranslated;

  private Propagation(List<Double> millis, int firstRepliesTranslated) {
    this.millis = millis;
    this.firstRepliesTranslated = firstRepliesTranslated;
  }

  /**
   * For each of count new flows (one client port each): the first request, timed until its session
   * is in the reply LB's map, then a second request whose reply must come from the VIP.
   */
  static Propagation measure(
      Client client, Topology topology, int replyLb, int firstPort, int count) throws Exception {
    List<Double> millis = new ArrayList<>();
    int translated = 0;
    try (SessionPoller replyLbMap = new SessionPoller(topology.lb(replyLb))) {
      for (int i = 0; i < count; i++) {
        int port = firstPort + i;
        String payload = "first-" + port;
        // The ask runs while this thread polls the reply LB's map: the client process does the
        // waiting.
        CompletableFuture<Client.Reply> first =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return client.ask(port, payload, 2000);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        SessionPoller.Seen seen = replyLbMap.await(Set.of(port), LIMIT).get(port);
        Client.Reply r1 = first.get();
        assertNotNull(r1, "the first reply reaches the client, translated or not");
        translated += Topology.VIP.equals(r1.from()) ? 1 : 0;
        millis.add(seen.propagationMillis());
        Client.Reply r2 = client.ask(port, "second-" + port, 2000);
        assertNotNull(r2, "flow " + port + ": no reply once the reply LB held the session");
        assertEquals(
            Topology.VIP,
            r2.from(),
            "flow " + port + ": once the reply LB holds the session, replies come from the VIP");
      }
    }
    return new Propagation(millis, translated);
  }

  /** How many flows' first reply reached the client from the VIP. */
  int firstRepliesTranslated() {
    return firstRepliesTranslated;
  }

  int flows() {
    return millis.size();
  }

  double medianMillis() {
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  String summary() {
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    StringBuilder each = new StringBuilder();
    millis.forEach(m -> each.append(String.format(" %.1f", m)));
    return String.format(
        "first packet -> session in the reply LB's map, %d new flows one after another: min %.2f ms, "
            + "median %.2f ms, max %.2f ms (in order:%s); first replies from the VIP %d/%d (each beat its "
            + "session unless the session was faster; the reply LB derived it); every later reply came from the VIP",
        sorted.size(),
        sorted.get(0),
        sorted.get(sorted.size() / 2),
        sorted.get(sorted.size() - 1),
        each,
        firstRepliesTranslated,
        sorted.size());
  }

  /** A burst of new flows at once, as the thesis's 30 changes in under 1 ms. */
  record Burst(int flows, double spreadMillis, double allInReplyLbMillis) {
    @Override
    public String toString() {
      return String.format(
          "burst of %d new flows (first packets within %.2f ms): all %d sessions in the reply LB's map "
              + "%.2f ms after the first packet",
          flows, spreadMillis, flows, allInReplyLbMillis);
    }
  }

  static Burst burst(Client client, Topology topology, int replyLb, int firstPort, int count)
      throws Exception {
    List<String> sends = new ArrayList<>();
    Set<Integer> ports = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      sends.add("send " + (firstPort + i) + " burst-" + i);
      ports.add(firstPort + i);
    }
    try (SessionPoller replyLbMap = new SessionPoller(topology.lb(replyLb))) {
      CompletableFuture<List<String>> sent =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return client.commands(sends);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Map<Integer, SessionPoller.Seen> seen = replyLbMap.await(ports, LIMIT);
      sent.get();
      long firstPacket =
          seen.values().stream().mapToLong(s -> s.session().createdNs()).min().orElseThrow();
      long lastPacket =
          seen.values().stream().mapToLong(s -> s.session().createdNs()).max().orElseThrow();
      long lastSeen =
          seen.values().stream().mapToLong(SessionPoller.Seen::seenNanos).max().orElseThrow();
      return new Burst(count, (lastPacket - firstPacket) / 1e6, (lastSeen - firstPacket) / 1e6);
    }
  }
}
