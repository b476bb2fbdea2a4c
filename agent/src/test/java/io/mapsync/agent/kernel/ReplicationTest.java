package io.mapsync.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.MapEntry;
import io.mapsync.bpf.testing.MapWriter;
import io.mapsync.bpf.testing.Require;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.MapType;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three real agents (real Ratis members on loopback, real kernel maps, real capture): changes made
 * with bpf() by another process into one agent's map reach the others.
 */
class ReplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HexFormat HEX = HexFormat.of();

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
  }

  static Map<ByteString, ByteString> content(TestAgents agents, String id) {
    Map<ByteString, ByteString> out = new HashMap<>();
    try (BpfMap m = agents.openMap(id)) {
      for (MapEntry e : m.dump()) {
        out.put(ByteString.copyFrom(e.key()), ByteString.copyFrom(e.value()));
      }
    }
    return out;
  }

  static byte[] lookup(TestAgents agents, String id, String keyHex) {
    try (BpfMap m = agents.openMap(id)) {
      return m.lookup(HEX.parseHex(keyHex));
    }
  }

  @Test
  void writesDeletesAndBatchesFromAnotherProcessReachEveryAgent() throws Exception {
    try (TestAgents agents =
        new TestAgents(
            3, MapType.HASH, 4, 8, 10_000, MapConfig.CaptureTier.AUTO, Duration.ofSeconds(30))) {
      agents.startVoters();
      int n1 = agents.mapId("n1");
      try (MapWriter w = new MapWriter()) {
        assertEquals("ok", w.send("update " + n1 + " 0a000001 0102030405060708 ANY"));
        for (String id : List.of("n2", "n3")) {
          RecordingListener.await(
              id + " has the write", WAIT, () -> lookup(agents, id, "0a000001") != null);
          assertArrayEquals(HEX.parseHex("0102030405060708"), lookup(agents, id, "0a000001"));
        }
        assertEquals("ok", w.send("delete " + n1 + " 0a000001"));
        for (String id : List.of("n2", "n3")) {
          RecordingListener.await(
              id + " has the delete", WAIT, () -> lookup(agents, id, "0a000001") == null);
        }
        int n3 = agents.mapId("n3");
        assertEquals(
            "ok",
            w.send(
                "update-batch "
                    + n3
                    + " 01000000,02000000,03000000 "
                    + "1111111111111111,2222222222222222,3333333333333333"));
        RecordingListener.await(
            "n1 and n2 have the batch",
            WAIT,
            () -> content(agents, "n1").size() == 3 && content(agents, "n2").size() == 3);
        assertEquals(content(agents, "n3"), content(agents, "n1"));
      }
    }
  }
}
