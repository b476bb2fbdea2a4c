package io.mapsync.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import io.mapsync.agent.config.AgentConfig;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.EtcdCluster;
import io.mapsync.lab.Prerequisites;
import io.mapsync.store.StoredEntry;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.MapType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same agents with an external etcd cluster (Debian's etcd, three members on loopback) as the
 * log, selected by configuration only: concurrent writers on every agent converge to the store.
 */
class EtcdBackendTest {
  @BeforeAll
  static void prerequisites() {
    Require.tracepoints();
    Prerequisites.executable(EtcdCluster.binary(), "install the Debian package etcd-server");
  }

  @Test
  void agentsOnAnEtcdLogConvergeUnderConcurrentWriters() throws Exception {
    try (EtcdCluster etcd = EtcdCluster.start(3);
        TestAgents agents =
            new TestAgents(
                3, MapType.HASH, 4, 16, 10_000, MapConfig.CaptureTier.SYSCALL, Duration.ZERO)) {
      agents.store =
          new AgentConfig.StoreConfig(
              AgentConfig.Backend.ETCD, etcd.endpoints(), "/clusters/test", Map.of());
      agents.startVoters();
      List<Process> writers = new ArrayList<>();
      long startAt = System.currentTimeMillis() + 2000;
      for (String id : agents.nodes.keySet()) {
        writers.add(ConvergenceTest.writer(agents.mapId(id), id.hashCode(), 1500, 64, 16, startAt));
      }
      for (Process p : writers) {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        assertEquals(0, p.exitValue());
      }
      var any = agents.nodes.get("n1");
      RecordingListener.await(
          "every agent settled and caught up",
          Duration.ofSeconds(60),
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
      for (String id : agents.nodes.keySet()) {
        assertEquals(
            "",
            ConvergenceTest.difference(store, ReplicationTest.content(agents, id)),
            id + " diverged");
      }
    }
  }
}
