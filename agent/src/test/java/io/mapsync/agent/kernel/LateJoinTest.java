package io.mapsync.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.agent.node.AgentNode;
import io.mapsync.bpf.testing.MapWriter;
import io.mapsync.bpf.testing.Require;
import io.mapsync.store.StoredEntry;
import io.mapsync.store.cluster.ClusterMember;
import io.mapsync.store.cluster.ServedCluster;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.MapType;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The late-join acceptance criterion: a cluster of three agents holds 100 000 entries written by
 * another process; a fourth agent joins it, and the moment it reports ready its map already holds
 * every entry, byte for byte as in the store. Then it follows new writes.
 */
class LateJoinTest {
  /**
   * Generous: at a load average above 100 the three agents took 77 s to replicate the 100 000
   * entries.
   */
  private static final Duration WAIT = Duration.ofSeconds(180);

  private static final int ENTRIES = 100_000;
  private static final int PER_CALL = 2_000;
  private static final HexFormat HEX = HexFormat.of();

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
  }

  /**
   * By log: the leader still has the whole log and sends it. By snapshot: the leader snapshots
   * every few entries and purges its log, so the new member can only receive a snapshot install.
   */
  @ParameterizedTest(name = "state by {0}")
  @ValueSource(strings = {"log", "snapshot"})
  void aFourthAgentJoinsWithAllHundredThousandEntriesInItsMapWhenReady(String path)
      throws Exception {
    try (TestAgents agents =
        new TestAgents(
            3, MapType.HASH, 4, 16, 2 * ENTRIES, MapConfig.CaptureTier.SYSCALL, Duration.ZERO)) {
      if (path.equals("snapshot")) {
        agents.store =
            new AgentConfig.StoreConfig(
                AgentConfig.Backend.RATIS,
                List.of(),
                "",
                Map.of(
                    "raft.server.snapshot.auto.trigger.threshold",
                    "8",
                    "raft.server.log.purge.preservation.log.num",
                    "0"));
      }
      agents.startVoters();
      long t0 = System.nanoTime();
      writeEntries(agents);
      RecordingListener.await(
          "the three agents hold all entries",
          WAIT,
          () ->
              agents.nodes.keySet().stream()
                  .allMatch(id -> ReplicationTest.content(agents, id).size() == ENTRIES));
      System.out.printf(
          "late join: %d entries written and replicated to 3 agents in %d ms%n",
          ENTRIES, (System.nanoTime() - t0) / 1_000_000);

      LogCapture log = new LogCapture("io.mapsync.agent.sync");
      agents.peers.put("n4", "127.0.0.1:" + TestAgents.freePort());
      long joinStart = System.nanoTime();
      ServedCluster n1 = agents.nodes.get("n1").cluster().orElseThrow();
      CompletableFuture<AgentNode> joining =
          agents.startAsync(agents.config("n4", true, List.of()));
      ClusterMember n4 = new ClusterMember("n4", agents.peers.get("n4"), "", false);
      List<ClusterMember> members = n1.addMember(n4).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      System.out.printf(
          "late join: n4 added %d ms after it was started%n",
          (System.nanoTime() - joinStart) / 1_000_000);
      assertEquals(4, members.size(), members.toString());
      AgentNode joined = joining.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      // The ready moment: nothing is written meanwhile, so the map must equal the store right now.
      Map<ByteString, ByteString> atReady = ReplicationTest.content(agents, "n4");
      long joinMs = (System.nanoTime() - joinStart) / 1_000_000;
      System.out.printf(
          "late join (state by %s): n4 ready with %d entries %d ms after it was started%n",
          path, atReady.size(), joinMs);
      if (path.equals("snapshot")) {
        assertTrue(
            hasSnapshot(agents.dataRoot.resolve("n4")), "n4 was expected to receive a snapshot");
      }

      Map<ByteString, ByteString> store = new HashMap<>();
      for (StoredEntry e :
          joined
              .store()
              .readMaps(List.of(TestAgents.MAP))
              .get(30, TimeUnit.SECONDS)
              .entries(TestAgents.MAP)) {
        store.put(e.key(), e.value());
      }
      assertEquals(ENTRIES, store.size());
      assertEquals(
          "",
          ConvergenceTest.difference(store, atReady),
          "n4's map at the moment it reported ready");
      assertTrue(joined.loop().ready());
      assertEquals(1.0, Metric.gauge(joined, "mapsync_ready"));
      log.close();
      assertTrue(
          log.any(m -> m.startsWith("bootstrap of map 'sessions': ")),
          "no bootstrap progress was logged");
      assertEquals(
          (double) ENTRIES,
          Metric.gauge(joined, "mapsync_bootstrap_entries"),
          "bootstrap progress metric");
      // The map was empty, so every entry must have gone in through BPF_MAP_UPDATE_BATCH, none one
      // by one.
      assertEquals(
          (double) ENTRIES,
          Metric.total(joined, "mapsync_bootstrap_batched_entries_total"),
          "entries bootstrap wrote through batch map writes");
      assertEquals(
          0.0,
          Metric.total(joined, "mapsync_bootstrap_batches_refused_total"),
          "refused bootstrap batches");

      try (MapWriter w = new MapWriter()) {
        assertEquals(
            "ok",
            w.send(
                "update " + agents.mapId("n2") + " ffffffff 00112233445566778899aabbccddeeff ANY"));
      }
      byte[] value = HEX.parseHex("00112233445566778899aabbccddeeff");
      RecordingListener.await(
          "n4 follows a new write",
          WAIT,
          () -> java.util.Arrays.equals(value, ReplicationTest.lookup(agents, "n4", "ffffffff")));
    }
  }

  /**
   * 100 000 entries through BPF_MAP_UPDATE_BATCH from another process, spread over the three
   * agents.
   */
  private static void writeEntries(TestAgents agents) throws Exception {
    List<Integer> ids = agents.nodes.keySet().stream().map(agents::mapId).toList();
    try (MapWriter w = new MapWriter()) {
      for (int start = 0, call = 0; start < ENTRIES; start += PER_CALL, call++) {
        StringBuilder keys = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int i = start; i < Math.min(ENTRIES, start + PER_CALL); i++) {
          keys.append(keys.length() == 0 ? "" : ",").append(String.format("%08x", i));
          values
              .append(values.length() == 0 ? "" : ",")
              .append(String.format("%08x%08x%016x", i, ~i, (long) i * 31));
        }
        assertEquals(
            "ok", w.send("update-batch " + ids.get(call % ids.size()) + " " + keys + " " + values));
      }
    }
  }

  private static boolean hasSnapshot(java.nio.file.Path dataDir) throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(dataDir)) {
      return files.anyMatch(
          f ->
              f.getFileName().toString().startsWith("snapshot.") && !f.toString().endsWith(".md5"));
    }
  }
}
