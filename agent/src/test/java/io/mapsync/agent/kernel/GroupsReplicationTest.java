package io.mapsync.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.agent.cli.CliRun;
import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.testing.MapWriter;
import io.mapsync.bpf.testing.Require;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.MapType;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three real agents whose maps live in two Raft groups: sessions in the default group (n1, n2, n3),
 * nat in group b (voters n2, n3; n1 follows it as a listener). Writes to either map, on any host,
 * reach every host's map through its own group's log; group b's writes stall without its quorum
 * while sessions goes on.
 */
class GroupsReplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HexFormat HEX = HexFormat.of();

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
  }

  private static byte[] lookup(TestAgents agents, String id, String map, String keyHex) {
    try (BpfMap m = agents.openMap(id, map)) {
      return m.lookup(HEX.parseHex(keyHex));
    }
  }

  private static int mapId(TestAgents agents, String id, String map) {
    try (BpfMap m = agents.openMap(id, map)) {
      return m.id();
    }
  }

  private static void awaitValue(
      TestAgents agents, List<String> ids, String map, String key, String value) {
    for (String id : ids) {
      RecordingListener.await(
          id + "'s " + map + " has " + key, WAIT, () -> lookup(agents, id, map, key) != null);
      assertArrayEquals(HEX.parseHex(value), lookup(agents, id, map, key), id + " " + map);
    }
  }

  @Test
  void eachMapTravelsThroughItsGroupAndAGroupWithoutQuorumStallsOnlyItsMap() throws Exception {
    try (TestAgents agents =
        new TestAgents(
            3, MapType.HASH, 4, 8, 10_000, MapConfig.CaptureTier.AUTO, Duration.ofSeconds(30))) {
      agents.store =
          new AgentConfig.StoreConfig(
              AgentConfig.Backend.RATIS,
              List.of(),
              "",
              Map.of("mapsync.request.timeout", "5s"),
              List.of(new AgentConfig.Group("b", List.of("n2", "n3"))));
      agents.secondMapGroup = "b";
      agents.serveClients();
      agents.startVoters();
      assertEquals(
          List.of("b"), List.copyOf(agents.nodes.get("n1").groupLoops().keySet()), "n1's loops");
      try (MapWriter w = new MapWriter()) {
        int n1Nat = mapId(agents, "n1", TestAgents.SECOND_MAP);
        int n3Sessions = mapId(agents, "n3", TestAgents.MAP);
        // n1 is only a listener of group b, yet its writes to nat reach the others
        assertEquals("ok", w.send("update " + n1Nat + " 0a000001 0101010101010101 ANY"));
        assertEquals("ok", w.send("update " + n3Sessions + " 0b000001 0202020202020202 ANY"));
        awaitValue(
            agents, List.of("n2", "n3"), TestAgents.SECOND_MAP, "0a000001", "0101010101010101");
        awaitValue(agents, List.of("n1", "n2"), TestAgents.MAP, "0b000001", "0202020202020202");
        assertTrue(
            agents
                .nodes
                .get("n2")
                .store()
                .readMaps(List.of(TestAgents.SECOND_MAP))
                .get()
                .entries(TestAgents.SECOND_MAP)
                .isEmpty(),
            "nat is not in the default group's log");

        String n1Client = agents.clients.get("n1");
        RecordingListener.await(
            "mapsync status shows both groups with a leader",
            WAIT,
            () -> {
              String out = CliRun.of("status", "--endpoints", n1Client).out();
              return out.contains("group default: leader n") && out.contains("group b: leader n");
            });
        String table = CliRun.of("status", "--endpoints", n1Client).out();
        assertTrue(table.contains("maps [sessions]"), table);
        assertTrue(table.contains("maps [nat]"), table);
        assertTrue(table.matches("(?s).*group b: .*\\nn1 .* listener .*"), table);
        CliRun json = CliRun.of("status", "--endpoints", n1Client, "-o", "json");
        assertEquals(0, json.exitCode(), json.out());
        assertTrue(json.out().contains("\"groups\":[{\"name\":\"default\""), json.out());
        assertTrue(json.out().contains("\"name\":\"b\""), json.out());

        agents.stop("n3"); // group b: one voter of two left; the default group: two of three
        int n2Sessions = mapId(agents, "n2", TestAgents.MAP);
        int n2Nat = mapId(agents, "n2", TestAgents.SECOND_MAP);
        assertEquals("ok", w.send("update " + n2Nat + " 0a000002 0303030303030303 ANY"));
        assertEquals("ok", w.send("update " + n2Sessions + " 0b000002 0404040404040404 ANY"));
        awaitValue(agents, List.of("n1"), TestAgents.MAP, "0b000002", "0404040404040404");
        assertEquals(
            null,
            lookup(agents, "n1", TestAgents.SECOND_MAP, "0a000002"),
            "group b committed without its quorum");
      }
    }
  }
}
