package io.mapsync.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.agent.cli.CliRun;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.agent.node.AgentNode;
import io.mapsync.bpf.testing.Require;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.MapType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent started before its peers: it keeps running, says which peers it waits for (in its log
 * and through `mapsync status`), and becomes ready once enough of them are up; and says so again
 * when it loses them while running.
 */
class PeerUnreachableTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
  }

  @Test
  void anAgentWaitsForAQuorumNamingTheUnreachablePeersAndStartsWhenTheyCome() throws Exception {
    try (TestAgents agents =
            new TestAgents(
                3, MapType.HASH, 4, 8, 1000, MapConfig.CaptureTier.SYSCALL, Duration.ZERO);
        LogCapture log = new LogCapture("io.mapsync.agent.node")) {
      agents.serveClients();
      CompletableFuture<AgentNode> n1 = agents.startAsync(agents.config("n1", false, List.of()));
      String n2 = "n2 (" + agents.peers.get("n2") + ")";
      String n3 = "n3 (" + agents.peers.get("n3") + ")";
      RecordingListener.await(
          "n1 says it waits for a quorum and names n2 and n3",
          WAIT,
          () ->
              log.any(m -> m.contains("waiting for a quorum") && m.contains(n2) && m.contains(n3)));
      assertFalse(n1.isDone(), "n1 must keep waiting, neither ready nor failed");

      CliRun status = CliRun.of("status", "--endpoints", agents.clients.get("n1"), "-o", "json");
      assertEquals(1, status.exitCode(), status.out());
      assertTrue(
          status.out().contains("\"leader\":\"\"")
              && status.out().contains("waiting for a quorum")
              && status.out().contains(n2)
              && status.out().contains(n3),
          status.out());
      int reports =
          (int) log.messages().stream().filter(m -> m.contains("waiting for a quorum")).count();
      RecordingListener.await(
          "the message repeats while n1 waits",
          WAIT,
          () ->
              log.messages().stream().filter(m -> m.contains("waiting for a quorum")).count()
                  > reports);

      CompletableFuture<AgentNode> two = agents.startAsync(agents.config("n2", false, List.of()));
      AgentNode ready = n1.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(ready.loop().ready());
      assertTrue(two.get(WAIT.toSeconds(), TimeUnit.SECONDS).loop().ready());
      assertTrue(log.any(m -> m.contains("a leader is known")), log.messages().toString());
      CliRun after = CliRun.of("status", "--endpoints", agents.clients.get("n1"), "-o", "json");
      assertFalse(after.out().contains("\"leader\":\"\""), after.out());

      // A running agent that loses its quorum says so too, and keeps running.
      int before = log.messages().size();
      agents.stop("n2");
      RecordingListener.await(
          "n1 says it lost its quorum and names n2 and n3",
          WAIT,
          () ->
              log.messages().subList(before, log.messages().size()).stream()
                  .anyMatch(
                      m ->
                          m.contains("ready, but")
                              && m.contains("waiting for a quorum")
                              && m.contains(n2)));
      assertTrue(ready.loop().ready());
    }
  }
}
