package io.mapsync.examples.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The first-reply benchmark (not a CI test: surefire's default patterns do not match "Bench"): TCP
 * connect times through the VIP over many new flows, with asymmetric routing and replication on,
 * against the same connects with symmetric routing; and, as the baseline, asymmetric with reply
 * derivation off. Run it by name:
 *
 * <pre>
 * mvn -B -pl examples -am verify -Dtest=ConnectLatencyBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dlb.bench.connects=1000</pre>
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ConnectLatencyBench extends LbLabTest {
  private static final int CONNECTS = Integer.getInteger("lb.bench.connects", 1000);
  private static final int BASELINE_CONNECTS = 20;

  @Test
  void connectTimesAsymmetricAgainstSymmetric() throws Exception {
    lab.reset(2, true);
    try (Agents agents = agents("derive")) {
      agents.startVoters();
      System.out.printf("[load average %s]%n", Files.readString(Path.of("/proc/loadavg")).strip());
      lab.client.connects(200, 5000); // warm-up: the client's and the backends' JIT
      // Alternating halves, so a change of the machine's load falls on both sides.
      for (int round = 0; round < 2; round++) {
        lab.topology.returnVia(2);
        report("asymmetric (in LB1, out LB2), replication on, derivation on", CONNECTS / 2);
        lab.topology.returnVia(1);
        report("symmetric (in and out LB1), replication on", CONNECTS / 2);
      }
      Map<String, Long> lb2 = lab.topology.lb(2).counters();
      System.out.println("[LB2 counters] " + lb2);
      assertEquals(0L, lb2.get("replies_unknown"));
    }
    lab.reset(2, false);
    try (Agents agents = agents("no-derive")) {
      agents.startVoters();
      report("asymmetric, replication on, derivation off (before this change)", BASELINE_CONNECTS);
    }
  }

  private static Agents agents(String name) throws Exception {
    return new Agents(
        LbLab.JAR,
        lab.work.resolve("agents-" + name),
        lab.topology,
        Map.of("lb1", "emit", "lb2", "emit"));
  }

  private static void report(String what, int count) throws Exception {
    TcpCounters before = TcpCounters.of(lab.topology, "client");
    Client.Connects c = lab.client.connects(count, 10_000);
    long synRetrans = TcpCounters.of(lab.topology, "client").since(before, "TcpExtTCPSynRetrans");
    System.out.printf("[%s] %s; SYN retransmissions %d%n", what, c, synRetrans);
  }
}
