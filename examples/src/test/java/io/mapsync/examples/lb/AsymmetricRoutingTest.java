package io.mapsync.examples.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.Require;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The thesis's experiment on this kernel: a client's requests enter through LB1, the backends'
 * replies leave through LB2. Without replication LB2 cannot translate them; with mapsync it can,
 * and a new LB host is warm before it takes traffic. The network, backends and client are shared
 * by the tests; each test gets fresh LB datapaths (empty maps) and its own agents.
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AsymmetricRoutingTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path JAR = MODULE.getParent().resolve("agent/target/mapsync.jar");

  private static Topology topology;
  private static final List<ChildProcess> backends = new ArrayList<>();
  private static Client client;
  private static Path work;

  @BeforeAll
  static void network() throws Exception {
    Require.bpf();
    Require.that(Files.exists(Path.of("/sys/kernel/btf/vmlinux")), "the kernel has no BTF (/sys/kernel/btf/vmlinux), "
        + "needed by the emit header's CO-RE access to struct bpf_map");
    for (String tool : List.of("ip", "tc", "nsenter", "bash")) {
      Require.tool(tool);
    }
    Require.that(Files.isRegularFile(JAR), "the mapsync binary " + JAR + " is not built (mvn -pl examples -am verify builds it)");
    work = Files.createDirectories(MODULE.resolve("target/lb-test/" + System.currentTimeMillis()));
    topology = new Topology(MODULE);
    for (int i = 0; i < Topology.BACKENDS.size(); i++) {
      String name = "b" + (i + 1);
      List<String> cmd = new ArrayList<>(topology.in(name));
      cmd.addAll(Java.command(EchoServer.class, name, String.valueOf(Topology.BACKENDS.get(i).port())));
      backends.add(new ChildProcess("backend " + name, work.resolve(name + ".log"), cmd));
    }
    for (ChildProcess b : backends) {
      b.awaitLine("listening", Duration.ofSeconds(60));
    }
    client = new Client(topology);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (client != null) {
        client.close();
      }
      for (ChildProcess b : backends) {
        b.close();
      }
    } finally {
      if (topology != null) {
        topology.close();
      }
    }
  }

  @BeforeEach
  void freshDatapaths() throws Exception {
    topology.enterVia(1);
    topology.returnVia(2);
    topology.installLb(1);
    topology.installLb(2);
  }

  @Test
  void withoutReplicationTheReplyThroughLb2KeepsTheBackendsAddress() throws Exception {
    for (int i = 0; i < 3; i++) {
      Client.Reply r = client.ask(40000, "no-mapsync-" + i, 2000);
      assertNotNull(r, "the backend's reply reaches the client, untranslated");
      assertNotEquals(Topology.VIP, r.from(), "nothing translated the reply back to the VIP");
      assertTrue(Topology.BACKENDS.contains(r.from()), "the client sees the backend's own address: " + r.from());
    }
    assertEquals(1, topology.lb(1).sessions().size(), "LB1 remembered the session");
    assertTrue(topology.lb(2).sessions().isEmpty(), "LB2 never heard of it");
    assertTrue(topology.lb(2).counters().get("replies_unknown") >= 3, "LB2 counted the replies it could not translate");
    String tcp = client.command("tcp no-mapsync 1500");
    assertTrue(tcp.startsWith("tcp-failed"), "a TCP connection through the VIP cannot open: " + tcp);
    System.out.printf("[no mapsync] 3 UDP replies through LB2 came from the backend's address, not the VIP; TCP: %s%n", tcp);
  }

  /**
   * One cluster, both datapath capture tiers: LB1's agent reads the emit ring, LB2's scans its map
   * every 100 ms. Requests first enter through LB1 (emit), then through LB2 (scan); a third LB
   * host comes up last and takes over the replies.
   */
  @Test
  void withMapsyncTheReplyLbTranslatesAndANewLbStartsWarm() throws Exception {
    try (Agents agents = new Agents(JAR, work.resolve("agents"), topology, Map.of("lb1", "emit", "lb2", "scan"))) {
      agents.startVoters();
      System.out.printf("[load average %s]%n", Files.readString(Path.of("/proc/loadavg")).strip());

      Propagation emit = Propagation.measure(client, topology, 2, 41000, 20);
      System.out.println("[in via LB1, emit tier] " + emit.summary());
      System.out.printf("[in via LB1, emit tier] inside the agents: propose -> commit at lb1 %s batches; capture at lb1 "
          + "-> applied at lb2 %s deltas%n", agents.metrics("lb1").mean("mapsync_commit_latency_seconds"),
          agents.metrics("lb2").mean("mapsync_propagation_latency_seconds"));
      System.out.println("[in via LB1, emit tier] " + Propagation.burst(client, topology, 2, 41100, 30));
      String tcp = client.command("tcp with-mapsync 5000");
      assertTrue(tcp.startsWith("tcp "), "a TCP connection through the VIP opens and echoes: " + tcp);
      System.out.printf("[in via LB1, emit tier] TCP through the VIP: connected in %s ms%n", tcp.split(" ")[1]);

      topology.enterVia(2);
      topology.returnVia(1);
      Propagation scan = Propagation.measure(client, topology, 1, 42000, 5);
      System.out.println("[in via LB2, scan tier, 100 ms] " + scan.summary());

      topology.addLb(3);
      topology.installLb(3);
      agents.startSpare();
      Set<LbLayout.Session> warm = new HashSet<>(topology.lb(3).sessions());
      Set<LbLayout.Session> all = new HashSet<>(topology.lb(1).sessions());
      assertEquals(all, new HashSet<>(topology.lb(2).sessions()), "LB1 and LB2 hold the same sessions");
      assertEquals(all, warm, "when its agent reports ready, LB3 holds every session, before any traffic reaches it");
      topology.returnVia(3);
      for (int port : List.of(41000, 42000)) {
        Client.Reply r = client.ask(port, "via-lb3", 2000);
        assertNotNull(r);
        assertEquals(Topology.VIP, r.from(), "LB3's first reply on flow " + port + " is translated");
      }
      assertEquals(0L, topology.lb(3).counters().get("replies_unknown"));
      System.out.printf("[new LB3] its agent (a listener) installed all %d sessions before it reported ready; "
          + "its first replies came from the VIP%n", warm.size());
    }
  }
}
