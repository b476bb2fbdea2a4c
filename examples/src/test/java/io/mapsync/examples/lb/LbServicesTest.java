package io.mapsync.examples.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.lab.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * lbrp parity on the real datapath (as root): services from a YAML file, weighted backends through
 * the slot table, and a backend change that moves no running flow. Symmetric routing (replies
 * through LB1), no agents: this is about one host's tables.
 */
class LbServicesTest extends LbLabTest {
  private static final int FLOWS = 24;
  private static final String VIP_ADDRESS = Topology.VIP.ip().getHostAddress();

  private static String yaml(String backends) {
    return "services:\n  - name: web\n    vip: "
        + Topology.VIP
        + "\n    backends: ["
        + backends
        + "]\n";
  }

  private Path write(String name, String yaml) throws Exception {
    return Files.writeString(lab.work.resolve(name), yaml);
  }

  /** Which backend (b1, b2) answered each flow, one UDP request per client port. */
  private Map<Integer, String> servedBy(int firstPort) throws Exception {
    Map<Integer, String> out = new HashMap<>();
    for (int port = firstPort; port < firstPort + FLOWS; port++) {
      Client.Reply r = lab.client.ask(port, "hi", 3000);
      assertNotNull(r, "flow " + port + " got an answer");
      assertEquals(Topology.VIP, r.from(), "flow " + port + ": the reply comes from the VIP");
      out.put(port, r.text().split(" ")[0]);
    }
    return out;
  }

  @Test
  void addingAndRemovingBackendsMovesNoRunningFlow() throws Exception {
    lab.topology.enterVia(1);
    lab.topology.returnVia(1);
    lab.topology.installLb(1, write("b1.yaml", yaml("{address: 10.13.2.11:8080}")));
    lab.topology.installLb(2, write("b1.yaml", yaml("{address: 10.13.2.11:8080}")));
    Map<Integer, String> before = servedBy(42000);
    assertTrue(
        before.values().stream().allMatch("b1"::equals),
        "one backend serves every flow: " + before);

    LbApply lb1 = new LbApply(lab.topology.pinRoot(1));
    lb1.apply(
        LbConfig.read(
            write(
                "both.yaml",
                yaml("{address: 10.13.2.11:8080}, {address: 10.13.2.12:8080, weight: 3}"))));
    assertEquals(before, servedBy(42000), "after b2 joined, every running flow stays on b1");
    Map<Integer, String> fresh = servedBy(43000);
    assertTrue(
        fresh.containsValue("b2")
            && fresh.values().stream().filter("b2"::equals).count() > FLOWS / 2,
        "new flows go mostly to b2 (weight 3 of 4): " + fresh);

    lb1.apply(LbConfig.read(write("b2.yaml", yaml("{address: 10.13.2.12:8080}"))));
    assertEquals(
        fresh,
        servedBy(43000),
        "after b1 left the table, its running flows still reach it (sessions pin them)");
    assertTrue(
        servedBy(44000).values().stream().allMatch("b2"::equals), "every new flow goes to b2");
    assertEquals(0L, lab.topology.lb(1).counters().get("replies_unknown"));
  }

  @Test
  void aBadFileChangesNothingAndTheFlowsKeepBeingServed() throws Exception {
    lab.topology.enterVia(1);
    lab.topology.returnVia(1);
    lab.topology.installLb(
        1, write("two.yaml", yaml("{address: 10.13.2.11:8080}, {address: 10.13.2.12:8080}")));
    Map<Integer, String> before = servedBy(45000);
    String m =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    new LbApply(lab.topology.pinRoot(1))
                        .apply(
                            LbConfig.read(
                                write("bad.yaml", yaml("{address: 10.13.2.11:8080, weight: 0}")))))
            .getMessage();
    assertTrue(m.contains("weight 0"), m);
    assertEquals(before, servedBy(45000), "the flows are served as before");
  }

  @Test
  void pingToTheVipReachesABackendAndComesBackFromTheVip() throws Exception {
    lab.topology.enterVia(1);
    lab.topology.returnVia(1);
    lab.topology.installLb(
        1, write("ping.yaml", yaml("{address: 10.13.2.11:8080}, {address: 10.13.2.12:8080}")));
    List<String> cmd = new ArrayList<>(lab.topology.in("client"));
    cmd.addAll(List.of("ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", VIP_ADDRESS));
    String out = Shell.runAllowingFailure(cmd);
    assertEquals(
        3,
        out.lines().filter(l -> l.contains("bytes from " + VIP_ADDRESS + ":")).count(),
        "three echo replies, each from the VIP:\n" + out);
    List<LbLayout.Session> echo =
        lab.topology.lb(1).sessions().stream().filter(s -> s.proto().equals("icmp")).toList();
    assertEquals(1, echo.size(), "one echo flow, pinned to a backend: " + echo);
    assertTrue(
        Topology.BACKENDS.stream().anyMatch(b -> b.ip().equals(echo.get(0).backend().ip())),
        "the echo went to a backend: " + echo);
    Map<String, Long> lb1 = lab.topology.lb(1).counters();
    assertTrue(lb1.get("replies_translated") >= 3, "LB1 translated the echo replies: " + lb1);
  }

  /**
   * A full session map (an LRU hash): a new flow's session takes the place of the least recently
   * used one, so the flows that keep sending keep their sessions and their backends, and new flows
   * are still pinned and translated. The fillers stand for flows that went quiet.
   */
  @Test
  void aFullSessionMapKeepsServingItsFlows() throws Exception {
    lab.topology.enterVia(1);
    lab.topology.returnVia(1);
    lab.topology.installLb(1, write("b1.yaml", yaml("{address: 10.13.2.11:8080}")));
    Map<Integer, String> running = servedBy(48000);
    // From now on new flows go to b2: a running flow that lost its session would move there.
    new LbApply(lab.topology.pinRoot(1))
        .apply(LbConfig.read(write("b2.yaml", yaml("{address: 10.13.2.12:8080}"))));
    int capacity;
    try (BpfMap sessions = BpfMap.openPinned(lab.topology.lb(1).sessionsPin())) {
      capacity = sessions.info().maxEntries();
      for (int chunk = 0; chunk < capacity; chunk += 4096) {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = chunk; i < chunk + 4096 && i < capacity; i++) {
          keys.add(fillerKey(i));
          values.add(new byte[LbLayout.SESSION_VALUE_SIZE]);
        }
        sessions.updateBatch(keys, values, UpdateFlag.ANY);
        assertEquals(running, servedBy(48000), "the running flows keep sending, and their backend");
      }
      int held = sessions.dump().size();
      // Full as an LRU map is: it evicted to take more, and holds all but the few free nodes the
      // kernel keeps per CPU (up to 128 each).
      assertTrue(
          held >= capacity - 2 * 128 * Runtime.getRuntime().availableProcessors(),
          "the session map is full: " + held + " of " + capacity);
      System.out.printf(
          "[full session map] %d of %d entries after %d fillers; the running flows kept theirs%n",
          held, capacity, capacity);
    }
    Map<Integer, String> fresh = servedBy(49000);
    assertTrue(
        fresh.values().stream().allMatch("b2"::equals), "new flows are served, by b2: " + fresh);
    assertEquals(running, servedBy(48000), "the running flows are still on b1");
    assertEquals(fresh, servedBy(49000), "the new flows were pinned: still on b2");
    Map<String, Long> lb1 = lab.topology.lb(1).counters();
    assertEquals(0L, lb1.get("sessions_failed"), "the LRU map took every new session: " + lb1);
    assertEquals(0L, lb1.get("replies_unknown"), lb1.toString());
  }

  /** A request entry of a flow from 10.99.x.y that went quiet. */
  private static byte[] fillerKey(int i) {
    byte[] k = new byte[LbLayout.SESSION_KEY_SIZE];
    k[0] = 10;
    k[1] = 99;
    k[2] = (byte) (i >> 8);
    k[3] = (byte) i;
    k[12] = 17;
    k[13] = 1;
    return k;
  }

  @Test
  void servicesAreKeyedByProtocolAndPort() throws Exception {
    lab.topology.enterVia(1);
    lab.topology.returnVia(1);
    lab.topology.installLb(
        1,
        write(
            "tcp-only.yaml",
            "services:\n  - name: web\n    vip: "
                + Topology.VIP
                + "\n    protocols: [tcp]\n    backends: [{address: 10.13.2.12:8080}]\n"));
    String tcp = lab.client.command("tcp keyed 5000");
    assertTrue(
        tcp.startsWith("tcp ") && tcp.contains("b2"),
        "TCP to the VIP reaches the service's backend: " + tcp);
    assertEquals(
        null,
        lab.client.ask(46000, "udp", 1000),
        "UDP to the same VIP and port is no service: not forwarded");
  }
}
