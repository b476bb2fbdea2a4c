package io.mapsync.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.AgentProcesses;
import io.mapsync.lab.ClusterLeader;
import io.mapsync.lab.Prerequisites;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.store.state.KeyLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three OS processes of the built binary (agent/target/mapsync.jar): a write through a follower's
 * client port, SIGKILL of the leader under load, restart from disk. Every acknowledged write must
 * end up in every agent's kernel map.
 */
class BinaryClusterIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @BeforeAll
  static void binary() {
    Require.tracepoints();
    String jar = System.getProperty("mapsync.binary");
    Prerequisites.require(
        jar != null && Files.exists(Path.of(jar)),
        "the mapsync binary was not built (" + jar + ")");
  }

  private static ByteSequence key(long i) {
    return ByteSequence.from(
        KeyLayout.entryKey("sessions", com.google.protobuf.ByteString.copyFrom(le(i)))
            .toByteArray());
  }

  private static byte[] le(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  /** The member the cluster reports as leader. */
  private static String leader(AgentProcesses agents) throws Exception {
    return ClusterLeader.of(agents.clients(), agents::alive, WAIT);
  }

  @Test
  void theLeaderKilledUnderLoadLosesNoAcknowledgedWrite() throws Exception {
    try (AgentProcesses agents =
        new AgentProcesses(3, "sessions:hash:8:8:100000", "/sys/fs/bpf/mapsync-it", List.of())) {
      agents.start(false);
      try {
        killTheLeaderUnderLoad(agents);
      } catch (Throwable t) {
        throw new AssertionError(
            "members' logs kept in " + agents.keepLogs() + ": " + t.getMessage(), t);
      }
    }
  }

  private void killTheLeaderUnderLoad(AgentProcesses agents) throws Exception {
    String endpoints =
        String.join(",", agents.clients().values().stream().map(a -> "http://" + a).toList());
    try (Client client = Client.builder().endpoints(endpoints.split(",")).build()) {
      String leader = leader(agents);
      String follower =
          agents.clients().keySet().stream()
              .filter(id -> !id.equals(leader))
              .findFirst()
              .orElseThrow();
      try (Client viaFollower =
          Client.builder().endpoints("http://" + agents.clients().get(follower)).build()) {
        viaFollower.getKVClient().put(key(0), ByteSequence.from(le(1))).get(30, TimeUnit.SECONDS);
      }
      Map<Long, Boolean> acknowledged = new ConcurrentHashMap<>();
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer =
          new Thread(
              () -> {
                for (long i = 1; writing.get(); i++) {
                  try {
                    client
                        .getKVClient()
                        .put(key(i), ByteSequence.from(le(i)))
                        .get(10, TimeUnit.SECONDS);
                    acknowledged.put(i, true);
                  } catch (Exception e) {
                    // not acknowledged: it may or may not have landed, either is fine
                  }
                }
              });
      writer.start();
      RecordingListener.await("some writes acknowledged", WAIT, () -> acknowledged.size() > 50);
      agents.kill(leader);
      int beforeKill = acknowledged.size();
      RecordingListener.await(
          "writes acknowledged after the kill", WAIT, () -> acknowledged.size() > beforeKill + 50);
      String newLeader = leader(agents);
      assertNotEquals(leader, newLeader);
      writing.set(false);
      writer.join();
      agents.restart(leader);
      for (String id : agents.clients().keySet()) {
        try (BpfMap map = BpfMap.openPinned(agents.pin(id))) {
          RecordingListener.await(
              id + " holds every acknowledged write",
              WAIT,
              () ->
                  acknowledged.keySet().stream()
                      .allMatch(i -> java.util.Arrays.equals(le(i), map.lookup(le(i)))));
          assertTrue(map.lookup(le(0)) != null, id + " lost the write made through a follower");
        }
      }
    }
  }

  @Test
  void aBadConfigIsOneClearErrorAndExitCodeTwo() throws Exception {
    Path config = Files.createTempFile("mapsync", ".yaml");
    Files.writeString(
        config,
        "id: n1\ndata_dir: /tmp/x\npeers: {n1: 127.0.0.1:7001}\nmaps:\n  - name: s\n"
            + "    type: ringbuf\n    key_size: 4\n    value_size: 4\n    max_entries: 8\n");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("mapsync.binary"),
                "agent",
                "--config",
                config.toString())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String err = new String(p.getErrorStream().readAllBytes()).trim();
    assertEquals(2, p.exitValue(), err);
    assertEquals(1, err.lines().count(), "expected one line, got: " + err);
    assertTrue(err.contains("maps[0].type") && err.contains("ringbuf"), err);
    Files.delete(config);
  }
}
