package io.mapsync.examples.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.MapEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The control plane's configuration replicates: services, backends and slots applied on LB1 appear
 * in LB2's maps through the agents (real agents, real maps), and LB2 then serves the VIP with no
 * configuration of its own; a later change on LB1 follows.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ConfigReplicationTest extends LbLabTest {
  private static final String TWO =
      "services:\n"
          + "  - name: web\n    vip: 10.13.13.13:8000\n"
          + "    backends: [{address: 10.13.2.11:8080}, {address: 10.13.2.12:8080, weight: 3}]\n"
          + "  - name: other\n    vip: 10.13.13.14:9000\n    protocols: [udp]\n"
          + "    backends: [{address: 10.13.2.11:9090}]\n";
  private static final String ONLY_B2 =
      "services:\n  - name: web\n    vip: 10.13.13.13:8000\n"
          + "    backends: [{address: 10.13.2.12:8080}]\n";

  @Test
  void servicesAppliedOnLb1AppearOnLb2AndLb2ServesThem() throws Exception {
    Topology topology = lab.topology;
    Path empty = Files.writeString(lab.work.resolve("empty.yaml"), "services: []\n");
    topology.enterVia(2);
    topology.returnVia(2);
    topology.installLb(1, empty);
    topology.installLb(2, empty);
    try (Agents agents =
        new Agents(
                LbLab.JAR,
                lab.work.resolve("agents-config"),
                topology,
                Map.of("lb1", "emit", "lb2", "emit"))
            .replicateConfig()) {
      // An agent's bootstrap makes its maps equal to the log: configure after the agents are up.
      agents.startVoters();
      assertEquals(
          null, lab.client.ask(47000, "before", 1000), "LB2 serves nothing before a config");

      new LbApply(topology.pinRoot(1))
          .apply(LbConfig.read(Files.writeString(lab.work.resolve("two.yaml"), TWO)));
      Map<String, Map<String, String>> lb1 = configOf(topology.pinRoot(1));
      assertEquals(
          lb1,
          awaitConfig(topology.pinRoot(2), lb1),
          "LB2's service, backend, slot and origin maps equal LB1's");
      System.out.printf(
          "[config replication] %d service entries, %d backends, %d slots, %d origins (non-zero) on LB2 as on LB1%n",
          lb1.get(LbLayout.SERVICES_MAP).size(),
          lb1.get(LbLayout.BACKENDS_MAP).size(),
          lb1.get(LbLayout.SLOTS_MAP).size(),
          lb1.get(LbLayout.ORIGINS_MAP).size());
      Client.Reply r = lab.client.ask(47001, "via-lb2", 3000);
      assertNotNull(r, "LB2 forwards to a backend with the replicated configuration");
      assertEquals(Topology.VIP, r.from(), "and translates the reply back to the VIP");

      new LbApply(topology.pinRoot(1))
          .apply(LbConfig.read(Files.writeString(lab.work.resolve("b2.yaml"), ONLY_B2)));
      Map<String, Map<String, String>> changed = configOf(topology.pinRoot(1));
      assertEquals(changed, awaitConfig(topology.pinRoot(2), changed), "LB2 follows LB1's change");
      for (int port = 47100; port < 47110; port++) {
        Client.Reply n = lab.client.ask(port, "new", 3000);
        assertNotNull(n, "new flow " + port + " is served");
        assertTrue(n.text().startsWith("b2"), "new flows go to b2 only: " + n);
      }
    }
  }

  /** The configuration maps' entries as hex text (non-zero values only: arrays hold every key). */
  private static Map<String, Map<String, String>> configOf(Path pinRoot) {
    HexFormat hex = HexFormat.of();
    Map<String, Map<String, String>> out = new TreeMap<>();
    for (String name : LbLayout.CONFIG_MAPS) {
      Map<String, String> entries = new TreeMap<>();
      try (BpfMap m = BpfMap.openPinned(pinRoot.resolve(name))) {
        for (MapEntry e : m.dump()) {
          String v = hex.formatHex(e.value());
          if (!v.matches("0*")) {
            entries.put(hex.formatHex(e.key()), v);
          }
        }
      }
      out.put(name, entries);
    }
    return out;
  }

  private static Map<String, Map<String, String>> awaitConfig(
      Path pinRoot, Map<String, Map<String, String>> expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Map<String, Map<String, String>> now = configOf(pinRoot);
    while (!now.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      now = configOf(pinRoot);
    }
    return now;
  }
}
