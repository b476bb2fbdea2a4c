package io.mapsync.agent.kernel;

import static io.mapsync.store.contract.Deltas.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.agent.cli.CliRun;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.agent.node.AgentNode;
import io.mapsync.bpf.testing.Require;
import io.mapsync.store.MapEntry;
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

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
    Require.tool("mount");
  }

  @Test
  void aFullDataDirStopsTheAgentWithOneClearMessageAndARestartLosesNothing() throws Exception {
    try (TestAgents agents = new TestAgents(3, MapType.HASH, 4, VALUE_SIZE, 100_000, MapConfig.CaptureTier.SYSCALL,
        Duration.ZERO)) {
      Path dir = agents.dataRoot.resolve("n3");
      Files.createDirectories(dir);
      run("mount", "-t", "tmpfs", "-o", "size=12m", "mapsync-test", dir.toString());
      try {
        CompletableFuture<AgentNode> n1 = agents.startAsync(agents.config("n1", false, List.of()));
        CompletableFuture<AgentNode> n2 = agents.startAsync(agents.config("n2", false, List.of()));
        CompletableFuture<CliRun> n3 = CompletableFuture.supplyAsync(() -> CliRun.of("agent", "--id", "n3",
            "--peers", agents.peers.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",")),
            "--data-dir", dir.toString(), "--pin-dir", agents.pinRoot.resolve("n3").toString(),
            "--map", TestAgents.MAP + ":hash:4:" + VALUE_SIZE + ":100000"));
        AgentNode writer = n1.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        n2.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        RecordingListener.await("n3 is up", WAIT, () -> Files.exists(agents.pinRoot.resolve("n3").resolve(TestAgents.MAP)));

        int batches = 0;
        while (!n3.isDone() && batches < 200) {
          writer.store().propose(batch(batches++)).get(30, TimeUnit.SECONDS);
        }
        CliRun stopped = n3.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        System.out.printf("disk full: n3 stopped after %d batches of 1000 entries; it said: %s%n", batches,
            stopped.errorLines());
        assertEquals(3, stopped.exitCode(), stopped.errorLines().toString());
        assertEquals(1, stopped.errorLines().size(), stopped.errorLines().toString());
        String message = stopped.errorLines().get(0);
        assertTrue(message.contains("data dir " + dir) && message.contains("no space left")
            && message.contains("Free space") && message.contains("nothing committed is lost"), message);

        run("mount", "-o", "remount,size=256m", dir.toString());
        AgentNode restarted = agents.start(agents.config("n3", false, List.of()));
        Map<ByteString, ByteString> store = new HashMap<>();
        for (MapEntry e : writer.store().readMaps(List.of(TestAgents.MAP)).get(30, TimeUnit.SECONDS)
            .entries(TestAgents.MAP)) {
          store.put(e.key(), e.value());
        }
        assertEquals(batches * 1000, store.size());
        assertEquals("", ConvergenceTest.difference(store, ReplicationTest.content(agents, "n3")),
            "n3's map once it is ready again");
        assertTrue(restarted.loop().ready());
      } finally {
        agents.stop("n3");
        run("umount", "-l", dir.toString());
      }
    }
  }

  private static DeltaBatch batch(int b) {
    DeltaBatch.Builder batch = DeltaBatch.newBuilder();
    for (int i = 0; i < 1000; i++) {
      byte[] value = new byte[VALUE_SIZE];
      ByteBuffer.wrap(value).putInt(b).putInt(i);
      batch.addDeltas(put(TestAgents.MAP, ByteString.copyFrom(ByteBuffer.allocate(4).putInt(b * 1000 + i).array()),
          ByteString.copyFrom(value)));
    }
    return batch.build();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + " failed");
  }
}
