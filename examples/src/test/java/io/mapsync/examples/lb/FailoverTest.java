package io.mapsync.examples.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.lab.ChildProcess;
import io.mapsync.lab.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live failover: a long TCP stream through the VIP (the client verifies every echoed byte) and a
 * ping run through LB1 while LB1's host dies (its agent SIGKILLed, its links cut); the client's
 * route moves to LB2, as an upstream router would. Then a fresh LB3 joins, bootstraps the sessions
 * and takes both directions of the same stream, warm.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class FailoverTest extends LbLabTest {
  private static final int PING_INTERVAL_MS = 20;

  /**
   * Pings lost beyond the switch-over itself: a loaded CI machine can delay a reply past ping's 1 s
   * wait.
   */
  private static final int PING_SLACK = 25;

  @Test
  void aStreamSurvivesTheDeathOfItsLbAndMovesToAWarmNewOne() throws Exception {
    Prerequisites.tool("ping");
    lab.reset(2, true);
    Topology topology = lab.topology;
    Path stop = lab.work.resolve("stop-stream");
    Files.deleteIfExists(stop);
    try (Agents agents =
        new Agents(
            LbLab.JAR,
            lab.work.resolve("agents-failover"),
            topology,
            Map.of("lb1", "emit", "lb2", "emit"))) {
      agents.startVoters();
      System.out.printf("[load average %s]%n", Files.readString(Path.of("/proc/loadavg")).strip());
      TcpCounters clientBefore = TcpCounters.of(topology, "client");
      List<TcpCounters> backendsBefore = backendCounters(topology);
      List<String> cmd = new ArrayList<>(topology.in("client"));
      cmd.addAll(Java.command(StreamClient.class, Topology.VIP.toString(), stop.toString()));
      try (ChildProcess stream =
          new ChildProcess("stream", lab.work.resolve("stream.log()"), cmd)) {
        stream.awaitLine("stream started", Duration.ofSeconds(60));
        String backend =
            Files.readString(stream.log()).replaceAll("(?s).*stream started (\\S+).*", "$1");
        Endpoint target = Topology.BACKENDS.get(Integer.parseInt(backend.substring(1)) - 1);
        awaitSessions(topology.lb(2), 1); // the stream's session is replicated before LB1 dies

        int switchMs;
        int lostAtFailover;
        try (Ping ping =
            new Ping(
                topology,
                "client",
                target.ip().getHostAddress(),
                400,
                PING_INTERVAL_MS,
                lab.work.resolve("ping-failover.log"))) {
          Thread.sleep(3000);
          long died = System.nanoTime();
          agents.kill("lb1");
          topology.cut(1);
          topology.enterVia(2);
          switchMs = (int) ((System.nanoTime() - died) / 1_000_000);
          lostAtFailover = ping.lost();
        }
        System.out.printf(
            "[failover LB1 -> LB2] switch-over (SIGKILL, links cut, route moved) %d ms; ping every %d ms "
                + "lost %d%n",
            switchMs, PING_INTERVAL_MS, lostAtFailover);
        assertTrue(
            lostAtFailover <= switchMs / PING_INTERVAL_MS + 1 + PING_SLACK,
            "ping lost no more than the switch-over takes: " + lostAtFailover);

        topology.addLb(3);
        topology.installLb(3);
        agents.startSpare();
        assertTrue(
            topology.lb(3).sessions().containsAll(topology.lb(2).sessions()),
            "LB3 holds every session when its agent reports ready");
        int lostAtTakeover;
        try (Ping ping =
            new Ping(
                topology,
                "client",
                target.ip().getHostAddress(),
                200,
                PING_INTERVAL_MS,
                lab.work.resolve("ping-takeover.log"))) {
          Thread.sleep(1000);
          topology.enterVia(3);
          topology.returnVia(3);
          lostAtTakeover = ping.lost();
        }
        Thread.sleep(1000);
        Files.writeString(stop, "stop");
        stream.waitFor(
            "stream ok",
            Duration.ofSeconds(60)); // a "stream failed" ends the process: the error shows it
        String result =
            Files.readAllLines(stream.log()).stream()
                .filter(l -> l.startsWith("stream ok") || l.startsWith("stream failed"))
                .findFirst()
                .orElse("no result: " + stream.tail());
        TcpCounters client = TcpCounters.of(topology, "client");
        long backendRetrans = 0;
        List<TcpCounters> backendsAfter = backendCounters(topology);
        for (int i = 0; i < backendsAfter.size(); i++) {
          backendRetrans += backendsAfter.get(i).since(backendsBefore.get(i), "TcpRetransSegs");
        }
        Map<String, Long> lb3 = topology.lb(3).counters();
        System.out.printf(
            "[stream through the VIP to %s] %s; retransmitted segments: client %d, backend %d; client "
                + "resets %d; takeover by LB3 lost %d pings; LB3 counters %s%n",
            backend,
            result,
            client.since(clientBefore, "TcpRetransSegs"),
            backendRetrans,
            client.since(clientBefore, "TcpEstabResets"),
            lostAtTakeover,
            lb3);
        assertTrue(
            result.startsWith("stream ok"), "no reset, no corrupted or missing byte: " + result);
        assertEquals(0, client.since(clientBefore, "TcpEstabResets"), "no connection was reset");
        assertTrue(lb3.get("forwarded") > 0, "LB3 took the stream's requests: " + lb3);
        assertTrue(
            lb3.get("replies_translated") > 0, "LB3 translated the stream's replies: " + lb3);
        assertEquals(
            0L, lb3.get("replies_derived"), "from the session it bootstrapped, warm: " + lb3);
        assertEquals(
            0L,
            lb3.get("sessions_created"),
            "LB3 knew the stream's session before its first packet: " + lb3);
        assertTrue(
            lostAtTakeover <= PING_SLACK,
            "the planned takeover loses (almost) no ping: " + lostAtTakeover);
      }
    }
  }

  private static List<TcpCounters> backendCounters(Topology topology) throws Exception {
    List<TcpCounters> out = new ArrayList<>();
    for (int i = 1; i <= Topology.BACKENDS.size(); i++) {
      out.add(TcpCounters.of(topology, "b" + i));
    }
    return out;
  }

  private static void awaitSessions(LbState lb, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (lb.sessions().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(lb.sessions().size() >= count, "the session reached LB2");
  }
}
