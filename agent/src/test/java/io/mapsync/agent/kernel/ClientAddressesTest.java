package io.mapsync.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.agent.cli.CliRun;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.Prerequisites;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.MapType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every agent records its client address in the store at start, so asking any one member lists
 * every member's client address: through `mapsync status` and through `etcdctl member list`.
 */
class ClientAddressesTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
  }

  @Test
  void oneMemberListsEveryMembersClientAddress() throws Exception {
    try (TestAgents agents =
        new TestAgents(3, MapType.HASH, 4, 8, 1000, MapConfig.CaptureTier.SYSCALL, Duration.ZERO)) {
      agents.serveClients();
      agents.startVoters();
      String n2 = agents.clients.get("n2");
      RecordingListener.await(
          "mapsync status through n2 shows every member's client address",
          WAIT,
          () -> {
            CliRun status = CliRun.of("status", "--endpoints", n2, "-o", "json");
            return status.exitCode() == 0
                && agents.clients.values().stream()
                    .allMatch(a -> status.out().contains("\"endpoint\":\"" + a + "\""));
          });
      CliRun status = CliRun.of("status", "--endpoints", n2, "-o", "json");
      assertTrue(!status.out().contains("no client address known"), status.out());

      Prerequisites.tool("etcdctl");
      Process p =
          new ProcessBuilder(
                  "etcdctl", "--endpoints", "http://" + n2, "member", "list", "-w", "simple")
              .redirectErrorStream(true)
              .start();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out);
      for (var e : agents.clients.entrySet()) {
        assertTrue(
            out.lines()
                .anyMatch(
                    l ->
                        l.contains(", " + e.getKey() + ", ")
                            && l.contains("http://" + e.getValue())),
            e.getKey() + "'s client URL is missing from etcdctl member list:\n" + out);
      }
    }
  }
}
