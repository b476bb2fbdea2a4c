package io.mapsync.examples.lb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mapsync.lab.ChildProcess;
import io.mapsync.lab.Prerequisites;
import io.mapsync.lab.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thesis's table in one run, side by side (not a CI test: surefire's default patterns do not
 * match "Bench"). Without replication the replies go back through the LB that owns the flow (the
 * thesis tunneled them back to it; here LB1 routes them); with replication LB2 sends them on the
 * short path. Ping RTT through the VIP, iperf3 throughput and retransmissions, the share of replies
 * on the short path, then the session propagation per capture tier and a burst of 30 new flows.
 *
 * <pre>
 * MAPSYNC_REQUIRE_ALL=1 mvn -B -pl examples -am verify -Dtest=ThesisTableBench \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dlb.bench.pings=200] [-Dlb.bench.iperf.seconds=10]
 * </pre>
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ThesisTableBench extends LbLabTest {
  private static final int PINGS = Integer.getInteger("lb.bench.pings", 200);
  private static final int IPERF_SECONDS = Integer.getInteger("lb.bench.iperf.seconds", 10);
  private static final int IPERF_PORT = 5201;
  private static final Pattern RTT = Pattern.compile("rtt min/avg/max/mdev = [\\d.]+/([\\d.]+)/");

  /** One side of the table. */
  private record Side(double rttMs, double mbitPerS, long retransmits, double shortPathShare) {}

  @Test
  void theThesisTableSideBySide() throws Exception {
    Prerequisites.tool("iperf3");
    Prerequisites.tool("ping");
    Topology topology = lab.topology;
    Path config =
        Files.writeString(
            lab.work.resolve("thesis.yaml"),
            "services:\n"
                + "  - name: echo\n    vip: 10.13.13.13:8000\n"
                + "    backends: [{address: 10.13.2.11:8080}, {address: 10.13.2.12:8080}]\n"
                + "  - name: iperf\n    vip: 10.13.13.13:"
                + IPERF_PORT
                + "\n    protocols: [tcp]\n    backends: [{address: 10.13.2.11:"
                + IPERF_PORT
                + "}]\n");
    List<String> server = new ArrayList<>(topology.in("b1"));
    server.addAll(List.of("iperf3", "-s", "--forceflush", "-p", String.valueOf(IPERF_PORT)));
    try (ChildProcess iperf =
        new ChildProcess("iperf3 server", lab.work.resolve("iperf3.log"), server)) {
      iperf.awaitLine("Server listening", Duration.ofSeconds(30));
      String load0 = Files.readString(Path.of("/proc/loadavg")).strip();

      topology.enterVia(1);
      topology.returnVia(1);
      topology.installLb(1, config);
      topology.installLb(2, config);
      Side without = side();
      System.out.println("[without replication, replies via LB1] " + without);

      topology.installLb(1, config);
      topology.installLb(2, config);
      topology.returnVia(2);
      try (Agents agents =
          new Agents(
              LbLab.JAR,
              lab.work.resolve("agents-thesis"),
              topology,
              Map.of("lb1", "emit", "lb2", "scan"))) {
        agents.startVoters();
        Side with = side();
        System.out.println("[with replication, replies via LB2] " + with);
        Propagation emit = Propagation.measure(lab.client, topology, 2, 41000, 20);
        Propagation.Burst burst = Propagation.burst(lab.client, topology, 2, 41100, 30);
        topology.enterVia(2);
        topology.returnVia(1);
        Propagation scan = Propagation.measure(lab.client, topology, 1, 42000, 10);
        String load1 = Files.readString(Path.of("/proc/loadavg")).strip();
        System.out.printf(
            "%n[thesis table] load average at the start %s, at the end %s%n"
                + "| measure | without replication (replies via LB1) | with replication (replies via"
                + " LB2) | with / without | thesis |%n"
                + "|---|---|---|---|---|%n"
                + "| ping RTT through the VIP (avg of %d) | %.3f ms | %.3f ms | %.1f%% | 87.5%% |%n"
                + "| iperf3 TCP throughput (%d s) | %.0f Mbit/s | %.0f Mbit/s | %+.1f%% | +1%% |%n"
                + "| iperf3 TCP retransmissions | %d | %d | %s | -96%% |%n"
                + "| replies on the short path (LB2) | %.0f%% | %.0f%% | | |%n"
                + "| session on LB1 -> in LB2's map, emit tier (median of %d) | | %.1f ms | | 96 ms |%n"
                + "| session on LB2 -> in LB1's map, scan tier 100 ms (median of %d) | | %.1f ms |"
                + " | |%n"
                + "| burst of 30 new flows: all in LB2's map after | | %.1f ms | | 97 ms |%n",
            load0,
            load1,
            PINGS,
            without.rttMs(),
            with.rttMs(),
            100 * with.rttMs() / without.rttMs(),
            IPERF_SECONDS,
            without.mbitPerS(),
            with.mbitPerS(),
            100 * (with.mbitPerS() / without.mbitPerS() - 1),
            without.retransmits(),
            with.retransmits(),
            without.retransmits() == 0
                ? "–"
                : String.format(
                    "%+.0f%%",
                    100.0 * (with.retransmits() - without.retransmits()) / without.retransmits()),
            100 * without.shortPathShare(),
            100 * with.shortPathShare(),
            emit.flows(),
            emit.medianMillis(),
            scan.flows(),
            scan.medianMillis(),
            burst.allInReplyLbMillis());
      }
    }
  }

  /** Ping and iperf3 through the VIP on the current routes, and where the replies went. */
  private static Side side() throws Exception {
    Topology topology = lab.topology;
    List<String> ping = new ArrayList<>(topology.in("client"));
    ping.addAll(
        List.of(
            "ping",
            "-n",
            "-q",
            "-c",
            String.valueOf(PINGS),
            "-i",
            "0.05",
            "-W",
            "1",
            Topology.VIP.ip().getHostAddress()));
    String pingOut = Shell.run(new ProcessBuilder(ping), Duration.ofSeconds(PINGS + 30L));
    Matcher m = RTT.matcher(pingOut);
    if (!m.find()) {
      throw new AssertionError("no ping summary: " + pingOut);
    }
    List<String> iperf = new ArrayList<>(topology.in("client"));
    iperf.addAll(
        List.of(
            "iperf3",
            "-c",
            Topology.VIP.ip().getHostAddress(),
            "-p",
            String.valueOf(IPERF_PORT),
            "-t",
            String.valueOf(IPERF_SECONDS),
            "-J"));
    JsonNode result =
        new ObjectMapper()
            .readTree(
                Shell.run(new ProcessBuilder(iperf), Duration.ofSeconds(IPERF_SECONDS + 60L)));
    JsonNode sent = result.path("end").path("sum_sent");
    Map<String, Long> lb1 = topology.lb(1).counters();
    Map<String, Long> lb2 = topology.lb(2).counters();
    double viaLb2 = lb2.get("replies_translated") + lb2.get("replies_derived");
    double all = viaLb2 + lb1.get("replies_translated") + lb1.get("replies_derived");
    return new Side(
        Double.parseDouble(m.group(1)),
        sent.path("bits_per_second").asDouble() / 1e6,
        sent.path("retransmits").asLong(),
        all == 0 ? 0 : viaLb2 / all);
  }
}
