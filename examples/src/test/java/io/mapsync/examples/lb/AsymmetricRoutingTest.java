package io.mapsync.examples.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.testing.NoFdLeaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The thesis's experiment on this kernel: a client's requests enter through LB1, the backends'
 * replies leave through LB2. Without replication (and without deriving replies) LB2 cannot
 * translate them; with mapsync it can, no first reply leaks, no connect waits for a retransmission,
 * and a new LB host is warm before it takes traffic. The network, backends and client are shared by
 * the tests; each test gets fresh LB datapaths (empty maps) and its own agents.
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AsymmetricRoutingTest extends LbLabTest {
  /**
   * Enough new flows to catch a first-reply race that is lost now and then; a few seconds of CI.
   */
  private static final int CONNECTS = 300;

  /**
   * A lost SYN-ACK costs the client a 1 s SYN retransmission; anything well below shows none
   * happened.
   */
  private static final long SLOW_CONNECT_MICROS = 500_000;

  @Test
  void withoutReplicationOrDerivingTheReplyThroughLb2KeepsTheBackendsAddress() throws Exception {
    lab.reset(2, false);
    Topology topology = lab.topology;
    for (int i = 0; i < 3; i++) {
      Client.Reply r = lab.client.ask(40000, "no-mapsync-" + i, 2000);
      assertNotNull(r, "the backend's reply reaches the client, untranslated");
      assertNotEquals(Topology.VIP, r.from(), "nothing translated the reply back to the VIP");
      assertTrue(
          Topology.BACKENDS.contains(r.from()),
          "the client sees the backend's own address: " + r.from());
    }
    assertEquals(1, topology.lb(1).sessions().size(), "LB1 remembered the session");
    assertTrue(topology.lb(2).sessions().isEmpty(), "LB2 never heard of it");
    assertTrue(
        topology.lb(2).counters().get("replies_unknown") >= 3,
        "LB2 counted the replies it let out untranslated");
    String tcp = lab.client.command("tcp no-mapsync 1500");
    assertTrue(
        tcp.startsWith("tcp-failed"), "a TCP connection through the VIP cannot open: " + tcp);
    System.out.printf(
        "[no mapsync, no deriving] 3 UDP replies through LB2 came from the backend's address; TCP: %s%n",
        tcp);
  }

  @Test
  void lb2DerivesTheRepliesOfFlowsItHasNoSessionFor() throws Exception {
    lab.reset(2, true);
    for (int i = 0; i < 3; i++) {
      Client.Reply r = lab.client.ask(40100 + i, "derived-" + i, 2000);
      assertNotNull(r);
      assertEquals(
          Topology.VIP, r.from(), "LB2 recomputed the flow's backend and translated its reply");
    }
    Map<String, Long> lb2 = lab.topology.lb(2).counters();
    assertTrue(
        lab.topology.lb(2).sessions().isEmpty(), "LB2 has no session: nothing replicates here");
    assertEquals(3L, lb2.get("replies_derived"));
    assertEquals(0L, lb2.get("replies_unknown"), "no reply left LB2 untranslated");
    String tcp = lab.client.command("tcp derived 5000");
    assertTrue(tcp.startsWith("tcp "), "a TCP connection through the VIP opens and echoes: " + tcp);
  }

  /**
   * One cluster, both datapath capture tiers: LB1's agent reads the emit ring, LB2's scans its map
   * every 100 ms. Requests first enter through LB1 (emit), then through LB2 (scan); a third LB host
   * comes up last and takes over the replies.
   */
  @Test
  void withMapsyncTheReplyLbTranslatesAndANewLbStartsWarm() throws Exception {
    lab.reset(2, true);
    Topology topology = lab.topology;
    Client client = lab.client;
    try (Agents agents =
        new Agents(
            LbLab.JAR,
            lab.work.resolve("agents"),
            topology,
            Map.of("lb1", "emit", "lb2", "scan"))) {
      agents.startVoters();
      System.out.printf("[load average %s]%n", Files.readString(Path.of("/proc/loadavg")).strip());

      Propagation emit = Propagation.measure(client, topology, 2, 41000, 20);
      System.out.println("[in via LB1, emit tier] " + emit.summary());
      assertEquals(
          emit.flows(),
          emit.firstRepliesTranslated(),
          "every flow's first reply came from the VIP");
      System.out.printf(
          "[in via LB1, emit tier] inside the agents: propose -> commit at lb1 %s batches; capture at lb1 "
              + "-> applied at lb2 %s deltas%n",
          agents.metrics("lb1").mean("mapsync_commit_latency_seconds"),
          agents.metrics("lb2").mean("mapsync_propagation_latency_seconds"));
      System.out.println(
          "[in via LB1, emit tier] " + Propagation.burst(client, topology, 2, 41100, 30));

      TcpCounters before = TcpCounters.of(topology, "client");
      Client.Connects connects = client.connects(CONNECTS, 5000);
      long synRetrans = TcpCounters.of(topology, "client").since(before, "TcpExtTCPSynRetrans");
      System.out.printf(
          "[in via LB1, emit tier] %s; SYN retransmissions at the client: %d%n",
          connects, synRetrans);
      assertEquals(
          CONNECTS, connects.ok(), "every connect through the VIP opened and echoed: " + connects);
      assertEquals(
          0,
          synRetrans,
          "no SYN-ACK was lost, so no connect waited for a retransmission: " + connects);
      assertTrue(
          connects.maxMicros() < SLOW_CONNECT_MICROS,
          "no connect took a retransmission's time: " + connects);
      Map<String, Long> lb2 = topology.lb(2).counters();
      assertEquals(0L, lb2.get("replies_unknown"), "no reply left LB2 untranslated: " + lb2);
      assertEquals(0L, lb2.get("replies_dropped"), "LB2 dropped no reply: " + lb2);

      topology.enterVia(2);
      topology.returnVia(1);
      Propagation scan = Propagation.measure(client, topology, 1, 42000, 5);
      System.out.println("[in via LB2, scan tier, 100 ms] " + scan.summary());
      assertEquals(
          scan.flows(),
          scan.firstRepliesTranslated(),
          "every flow's first reply came from the VIP");

      topology.addLb(3);
      topology.installLb(3);
      agents.startSpare();
      Set<LbLayout.Session> warm = new HashSet<>(topology.lb(3).sessions());
      Set<LbLayout.Session> all = new HashSet<>(topology.lb(1).sessions());
      assertEquals(all, awaitSessions(topology.lb(2), all), "LB1 and LB2 hold the same sessions");
      assertEquals(
          all,
          warm,
          "when its agent reports ready, LB3 holds every session, before any traffic reaches it");
      topology.returnVia(3);
      for (int port : List.of(41000, 42000)) {
        Client.Reply r = client.ask(port, "via-lb3", 2000);
        assertNotNull(r);
        assertEquals(
            Topology.VIP, r.from(), "LB3's first reply on flow " + port + " is translated");
      }
      Map<String, Long> lb3 = topology.lb(3).counters();
      assertEquals(0L, lb3.get("replies_unknown"));
      assertEquals(
          0L,
          lb3.get("replies_derived"),
          "LB3 translated from the sessions it bootstrapped, not by deriving");
      System.out.printf(
          "[new LB3] its agent (a listener) installed all %d sessions before it reported ready; "
              + "its first replies came from the VIP%n",
          warm.size());
    }
  }

  /**
   * LB2's sessions once they equal expected, or after a deadline that bounds a hang (the connects
   * made hundreds).
   */
  private static Set<LbLayout.Session> awaitSessions(LbState lb, Set<LbLayout.Session> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Set<LbLayout.Session> now = new HashSet<>(lb.sessions());
    while (!now.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      now = new HashSet<>(lb.sessions());
    }
    return now;
  }
}
