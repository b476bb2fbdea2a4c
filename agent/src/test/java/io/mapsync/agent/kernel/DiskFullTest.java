package io.mapsync.agent.kernel;

import static io.mapsync.store.contract.Deltas.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.agent.cli.CliRun;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.agent.node.AgentNode;
import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.Prerequisites;
import io.mapsync.store.StoredEntry;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.MapType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent whose data dir (a small tmpfs) fills up while the cluster writes: it stops with exit
 * code 3 and one line naming the data dir, "no space left" and what to do; once space is freed and
 * it is started again, it holds everything committed, its own log included.
 */
class DiskFullTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int VALUE_SIZE = 256;

  /**
   * The map holds every batch the test may write, so the store must keep all of them (none refused
   * as full).
   */
  private static final int MAX_BATCHES = 200;

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
    Prerequisites.tool("mount");
  }

  @Test
  void aFullDataDirStopsTheAgentWithOneClearMessageAndARestartLosesNothing() throws Exception {
    try (TestAgents agents =
        new TestAgents(
            3,
            MapType.HASH,
            4,
            VALUE_SIZE,
            MAX_BATCHES * 1000,
            MapConfig.CaptureTier.SYSCALL,
            Duration.ZERO)) {
      Path dir = agents.dataRoot.resolve("n3");
      try (Tmpfs disk = Tmpfs.mount(dir, "12m")) {
        CompletableFuture<AgentNode> n1 = agents.startAsync(agents.config("n1", false, List.of()));
        CompletableFuture<AgentNode> n2 = agents.startAsync(agents.config("n2", false, List.of()));
        CompletableFuture<CliRun> n3 = CompletableFuture.supplyAsync(() -> agent(agents, "n3"));
        AgentNode writer = n1.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        n2.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        RecordingListener.await(
            "n3 is up",
            WAIT,
            () -> Files.exists(agents.pinRoot.resolve("n3").resolve(TestAgents.MAP)));

        int batches = 0;
        while (!n3.isDone() && batches < MAX_BATCHES) {
          writer.store().propose(batch(batches++)).get(30, TimeUnit.SECONDS);
        }
        CliRun stopped = n3.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        System.out.printf(
            "disk full: n3 stopped after %d batches of 1000 entries; it said: %s%n",
            batches, stopped.errorLines());
        assertEquals(3, stopped.exitCode(), stopped.errorLines().toString());
        assertNoSpaceMessage(stopped, dir);

        disk.resize("256m");
        AgentNode restarted = agents.start(agents.config("n3", false, List.of()));
        Map<ByteString, ByteString> store = new HashMap<>();
        for (StoredEntry e :
            writer
                .store()
                .readMaps(List.of(TestAgents.MAP))
                .get(30, TimeUnit.SECONDS)
                .entries(TestAgents.MAP)) {
          store.put(e.key(), e.value());
        }
        assertEquals(batches * 1000, store.size());
        assertEquals(
            "",
            ConvergenceTest.difference(store, ReplicationTest.content(agents, "n3")),
            "n3's map once it is ready again");
        assertTrue(restarted.loop().ready());
        agents.stop("n3");
      }
    }
  }

  @Test
  void anAgentStartedOnAFullDiskStopsWithTheSameMessage() throws Exception {
    try (TestAgents agents =
        new TestAgents(
            1, MapType.HASH, 4, VALUE_SIZE, 1000, MapConfig.CaptureTier.SYSCALL, Duration.ZERO)) {
      Path dir = agents.dataRoot.resolve("n1");
      // Room for the marker and Ratis's metadata, not for the first log segment.
      try (Tmpfs disk = Tmpfs.mount(dir, "2m")) {
        long t0 = System.nanoTime();
        CliRun run =
            CompletableFuture.supplyAsync(() -> agent(agents, "n1"))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        System.out.printf(
            "disk full at start: exit %d after %d ms: %s%n",
            run.exitCode(), (System.nanoTime() - t0) / 1_000_000, run.errorLines());
        assertEquals(3, run.exitCode(), run.errorLines().toString());
        assertNoSpaceMessage(run, dir);
      }
    }
  }

  /** Runs `mapsync agent` in this JVM for one of the test's members; returns when it exits. */
  private static CliRun agent(TestAgents agents, String id) {
    return CliRun.of(
        "agent",
        "--id",
        id,
        "--peers",
        agents.peers.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",")),
        "--data-dir",
        agents.dataRoot.resolve(id).toString(),
        "--pin-dir",
        agents.pinRoot.resolve(id).toString(),
        "--map",
        TestAgents.MAP + ":hash:4:" + VALUE_SIZE + ":" + MAX_BATCHES * 1000);
  }

  private static void assertNoSpaceMessage(CliRun run, Path dir) {
    assertEquals(1, run.errorLines().size(), run.errorLines().toString());
    String message = run.errorLines().get(0);
    assertTrue(
        message.contains("data dir " + dir)
            && message.contains("no space left")
            && message.contains("Free space")
            && message.contains("nothing committed is lost"),
        message);
  }

  private static DeltaBatch batch(int b) {
    DeltaBatch.Builder batch = DeltaBatch.newBuilder();
    for (int i = 0; i < 1000; i++) {
      byte[] value = new byte[VALUE_SIZE];
      ByteBuffer.wrap(value).putInt(b).putInt(i);
      batch.addDeltas(
          put(
              TestAgents.MAP,
              ByteString.copyFrom(ByteBuffer.allocate(4).putInt(b * 1000 + i).array()),
              ByteString.copyFrom(value)));
    }
    return batch.build();
  }
}
