package io.mapsync.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.agent.node.AgentNode;
import io.mapsync.bpf.testing.Require;
import io.mapsync.store.StoredEntry;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.MapType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The no-divergence guarantee on real parts: three agents, a writer process per agent making random
 * updates and deletes through bpf() on a small key space (so the agents fight over the same keys),
 * then quiescence: every map must equal every other and the store, byte for byte.
 */
class ConvergenceTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 22, 33})
  void concurrentWritersOnEveryAgentConvergeToTheStore(long seed) throws Exception {
    try (TestAgents agents =
        new TestAgents(
            3, MapType.HASH, 4, 16, 10_000, MapConfig.CaptureTier.SYSCALL, Duration.ZERO)) {
      agents.startVoters();
      List<Process> writers = new ArrayList<>();
      long startAt = System.currentTimeMillis() + 2000;
      for (String id : agents.nodes.keySet()) {
        writers.add(writer(agents.mapId(id), seed * 7 + id.hashCode(), 3000, 128, 16, startAt));
      }
      for (Process p : writers) {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("writer did not finish");
        }
        assertEquals(0, p.exitValue(), "writer failed");
      }
      AgentNode any = agents.nodes.get("n1");
      RecordingListener.await(
          "every agent settled and caught up",
          WAIT,
          () -> {
            long storeRevision = any.store().readMaps(List.of(TestAgents.MAP)).join().revision();
            return agents.nodes.values().stream()
                .allMatch(
                    n ->
                        n.loop().pendingWrites() == 0
                            && n.loop().appliedRevision() >= storeRevision);
          });
      Map<ByteString, ByteString> store = new HashMap<>();
      for (StoredEntry e :
          any.store().readMaps(List.of(TestAgents.MAP)).join().entries(TestAgents.MAP)) {
        store.put(e.key(), e.value());
      }
      assertFalse(store.isEmpty());
      double conflicts =
          agents.nodes.values().stream()
              .mapToDouble(n -> Metric.total(n, "mapsync_superseded_total"))
              .sum();
      System.out.printf(
          "seed %d: %d keys, %.0f remote deltas superseded by pending local writes%n",
          seed, store.size(), conflicts);
      assertTrue(
          conflicts > 0,
          "the writers never raced on a key: the test did not exercise the pending set");
      for (String id : agents.nodes.keySet()) {
        Map<ByteString, ByteString> local = ReplicationTest.content(agents, id);
        assertEquals(
            difference(store, local), "", id + " diverged from the store (seed " + seed + ")");
      }
    }
  }

  static String difference(Map<ByteString, ByteString> store, Map<ByteString, ByteString> local) {
    StringBuilder sb = new StringBuilder();
    for (var e : store.entrySet()) {
      if (!e.getValue().equals(local.get(e.getKey()))) {
        sb.append("key ")
            .append(hex(e.getKey()))
            .append(": store ")
            .append(hex(e.getValue()))
            .append(", map ")
            .append(local.get(e.getKey()) == null ? "absent" : hex(local.get(e.getKey())))
            .append('\n');
      }
    }
    for (var k : local.keySet()) {
      if (!store.containsKey(k)) {
        sb.append("key ")
            .append(hex(k))
            .append(": not in the store, map ")
            .append(hex(local.get(k)))
            .append('\n');
      }
    }
    return sb.toString();
  }

  private static String hex(ByteString b) {
    return java.util.HexFormat.of().formatHex(b.toByteArray());
  }

  static Process writer(int mapId, long seed, int ops, int keySpace, int valueSize, long startAt)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            RandomWriterMain.class.getName(),
            String.valueOf(mapId),
            String.valueOf(seed),
            String.valueOf(ops),
            String.valueOf(keySpace),
            String.valueOf(valueSize),
            String.valueOf(startAt))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }
}
