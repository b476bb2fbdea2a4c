package io.mapsync.agent.kernel;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.agent.node.AgentNode;
import io.mapsync.bpf.testing.MapWriter;
import io.mapsync.bpf.testing.Require;
import io.mapsync.store.Commit;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.DeltaRejection;
import io.mapsync.wire.MapType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An agent restarted from its data dir and pinned map, and a bad delta among good ones. */
class RestartAndRejectTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
  }

  @Test
  void aStoppedAgentRestartsWithoutLosingOrReapplyingAnything() throws Exception {
    try (TestAgents agents =
        new TestAgents(
            3, MapType.HASH, 4, 8, 10_000, MapConfig.CaptureTier.SYSCALL, Duration.ZERO)) {
      agents.startVoters();
      int n1 = agents.mapId("n1");
      try (MapWriter w = new MapWriter()) {
        for (int i = 0; i < 20; i++) {
          assertEquals("ok", w.send(String.format("update %d %02x000000 %016x ANY", n1, i, i)));
        }
        RecordingListener.await(
            "n3 has the first 20", WAIT, () -> ReplicationTest.content(agents, "n3").size() == 20);
        agents.stop("n3");
        for (int i = 20; i < 30; i++) {
          assertEquals("ok", w.send(String.format("update %d %02x000000 %016x ANY", n1, i, i)));
        }
        for (int i = 0; i < 5; i++) {
          assertEquals("ok", w.send(String.format("delete %d %02x000000", n1, i)));
        }
        RecordingListener.await(
            "n2 has the changes", WAIT, () -> ReplicationTest.content(agents, "n2").size() == 25);
      }
      AgentNode n3 = agents.start(agents.config("n3", false, List.of()));
      assertEquals(
          ReplicationTest.content(agents, "n1"),
          ReplicationTest.content(agents, "n3"),
          "the restarted agent is not equal to the others once ready");
      assertEquals(
          15,
          n3.loop().lastBootstrapChanges(),
          "restart should write exactly the 10 puts and 5 deletes made while it was down");
    }
  }

  @Test
  void aWrongSizeDeltaIsRejectedAndNothingElseStops() throws Exception {
    try (TestAgents agents =
        new TestAgents(
            3, MapType.HASH, 4, 8, 10_000, MapConfig.CaptureTier.SYSCALL, Duration.ZERO)) {
      agents.startVoters();
      ByteString key = ByteString.copyFrom(new byte[] {1, 0, 0, 0});
      ByteString good = ByteString.copyFrom(new byte[8]);
      Commit commit =
          agents
              .nodes
              .get("n2")
              .store()
              .propose(
                  batch(
                      put(TestAgents.MAP, key, ByteString.copyFrom(new byte[3])),
                      put(TestAgents.MAP, key, good)))
              .get(30, TimeUnit.SECONDS);
      assertEquals(1, commit.rejections().size());
      assertEquals(DeltaRejection.Reason.VALUE_SIZE, commit.rejections().get(0).getReason());
      assertTrue(commit.rejections().get(0).getMessage().contains("'" + TestAgents.MAP + "'"));
      for (String id : List.of("n1", "n2", "n3")) {
        RecordingListener.await(
            id + " has the good delta",
            WAIT,
            () -> good.equals(ReplicationTest.content(agents, id).get(key)));
      }
      try (MapWriter w = new MapWriter()) {
        assertEquals(
            "ok", w.send("update " + agents.mapId("n3") + " 02000000 0101010101010101 ANY"));
        RecordingListener.await(
            "later writes still flow",
            WAIT,
            () -> ReplicationTest.content(agents, "n1").size() == 2);
      }
      assertTrue(agents.nodes.values().stream().allMatch(n -> n.loop().ready()));
    }
  }
}
