package io.mapsync.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.agent.node.AgentNode;
import io.mapsync.bpf.testing.MapWriter;
import io.mapsync.bpf.testing.Require;
import io.mapsync.store.StoredEntry;
import io.mapsync.store.cluster.ClusterMember;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.wire.MapType;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Item 4 of issue 13 on real kernel LRU maps with {@code lru_eviction: local}: ten times
 * max_entries flows pass through three agents; every store stays at max_entries, every host's map
 * still serves the live flows (rewritten all along), and a late joiner receives only live state.
 */
class BoundedLruTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int MAX = 256;
  private static final int PER_CALL = 128;
  private static final int CALLS = 10 * MAX / PER_CALL;
  private static final int LIVE = 8;
  private static final HexFormat HEX = HexFormat.of();

  @BeforeAll
  static void kernel() {
    Require.tracepoints();
  }

  private static String liveKey(int i) {
    return String.format("ffff%04x", i);
  }

  @Test
  void tenTimesMaxEntriesFlowsLeaveBoundedStoresLiveMapsAndALateJoinerWithOnlyLiveState()
      throws Exception {
    try (TestAgents agents =
        new TestAgents(
            3, MapType.LRU_HASH, 4, 8, MAX, MapConfig.CaptureTier.SYSCALL, Duration.ZERO)) {
      agents.lruEviction = MapConfig.LruEviction.LOCAL;
      agents.startVoters();
      List<Integer> ids = agents.nodes.keySet().stream().map(agents::mapId).toList();
      try (MapWriter w = new MapWriter()) {
        for (int call = 0; call < CALLS; call++) {
          StringBuilder keys = new StringBuilder();
          StringBuilder values = new StringBuilder();
          for (int i = call * PER_CALL; i < (call + 1) * PER_CALL; i++) {
            keys.append(keys.length() == 0 ? "" : ",").append(String.format("%08x", i));
            values.append(values.length() == 0 ? "" : ",").append(String.format("%016x", (long) i));
          }
          for (int i = 0; i < LIVE; i++) {
            keys.append(',').append(liveKey(i));
            values.append(',').append(String.format("%016x", (long) call));
          }
          assertEquals(
              "ok",
              w.send("update-batch " + ids.get(call % ids.size()) + " " + keys + " " + values));
        }
      }
      // The hosts write back to back, so the log, not the order of the calls, decides which
      // host's value of a live flow is the last: wait until every write is captured and settled,
      // then every host's map must serve the values its store ended on (all stores agree).
      int burst = CALLS * (PER_CALL + LIVE);
      try {
        RecordingListener.await(
            "every write of the burst captured and settled",
            WAIT,
            () ->
                captured(agents) >= burst
                    && agents.nodes.values().stream().allMatch(n -> n.loop().pendingWrites() == 0));
        RecordingListener.await(
            "every host serves the live flows' values its store ended on",
            WAIT,
            () -> {
              Map<ByteString, ByteString> expected = live(storeOf(agents.nodes.get("n1")));
              return expected.size() == LIVE
                  && agents.nodes.keySet().stream()
                      .allMatch(
                          id ->
                              expected.equals(live(storeOf(agents.nodes.get(id))))
                                  && expected.equals(live(ReplicationTest.content(agents, id))));
            });
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage()
                + " ("
                + captured(agents)
                + " of "
                + burst
                + " captured)\n"
                + liveFlows(agents),
            e);
      }
      Map<ByteString, ByteString> live = live(storeOf(agents.nodes.get("n1")));
      // A live flow's last write in the log is one host's last call, never an older one.
      for (ByteString v : live.values()) {
        long call = Long.parseLong(HEX.formatHex(v.toByteArray()), 16);
        assertTrue(
            call >= CALLS - ids.size(), "a live flow ended on call " + call + " of " + CALLS);
      }
      for (String id : agents.nodes.keySet()) {
        List<StoredEntry> stored = stored(agents.nodes.get(id));
        assertTrue(
            stored.size() <= MAX,
            id + "'s store holds " + stored.size() + " entries of a " + MAX + "-entry map");
        assertTrue(
            stored.stream().noneMatch(e -> e.key().equals(key(0))),
            id + "'s store still holds the first flow");
      }

      agents.peers.put("n4", "127.0.0.1:" + TestAgents.freePort());
      CompletableFuture<AgentNode> joining =
          agents.startAsync(agents.config("n4", true, List.of()));
      agents
          .nodes
          .get("n1")
          .cluster()
          .orElseThrow()
          .addMember(new ClusterMember("n4", agents.peers.get("n4"), "", false))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      AgentNode joined = joining.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Map<ByteString, ByteString> n4 = ReplicationTest.content(agents, "n4");
      System.out.printf(
          "bounded lru: %d flows through a %d-entry map; late joiner holds %d entries, its store %d%n",
          CALLS * PER_CALL, MAX, n4.size(), stored(joined).size());
      assertTrue(n4.size() <= MAX, "the late joiner's map holds " + n4.size() + " entries");
      assertTrue(
          stored(joined).size() <= MAX,
          "the late joiner's store holds " + stored(joined).size() + " entries");
      assertEquals(live, live(n4), "the late joiner's live flows");
      for (int i = 0; i < PER_CALL; i++) {
        assertTrue(!n4.containsKey(key(i)), "the late joiner received long-evicted flow " + i);
      }
    }
  }

  /** The live flows among a map's or a store's entries. */
  private static Map<ByteString, ByteString> live(Map<ByteString, ByteString> content) {
    Map<ByteString, ByteString> out = new java.util.HashMap<>();
    for (int i = 0; i < LIVE; i++) {
      ByteString k = ByteString.copyFrom(HEX.parseHex(liveKey(i)));
      if (content.containsKey(k)) {
        out.put(k, content.get(k));
      }
    }
    return out;
  }

  private static Map<ByteString, ByteString> storeOf(AgentNode node) {
    Map<ByteString, ByteString> out = new java.util.HashMap<>();
    try {
      for (StoredEntry e : stored(node)) {
        out.put(e.key(), e.value());
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the store", e);
    }
    return out;
  }

  private static double captured(TestAgents agents) {
    return agents.nodes.values().stream()
        .mapToDouble(n -> Metric.total(n, "mapsync_captured_total"))
        .sum();
  }

  /** Each host's map and store for the live keys: which side lost a flow, and its value there. */
  private static String liveFlows(TestAgents agents) {
    StringBuilder out = new StringBuilder();
    for (String id : agents.nodes.keySet()) {
      Map<ByteString, ByteString> map = ReplicationTest.content(agents, id);
      Map<ByteString, ByteString> store = new java.util.HashMap<>();
      try {
        for (StoredEntry e : stored(agents.nodes.get(id))) {
          store.put(e.key(), e.value());
        }
      } catch (Exception e) {
        out.append(id).append(": store unreadable: ").append(e).append('\n');
      }
      out.append(id)
          .append(": map holds ")
          .append(map.size())
          .append(", store ")
          .append(store.size())
          .append(';');
      for (int i = 0; i < LIVE; i++) {
        ByteString k = ByteString.copyFrom(HEX.parseHex(liveKey(i)));
        out.append(' ')
            .append(liveKey(i))
            .append(" map=")
            .append(hex(map.get(k)))
            .append(" store=")
            .append(hex(store.get(k)));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String hex(ByteString b) {
    return b == null ? "absent" : HEX.formatHex(b.toByteArray());
  }

  private static ByteString key(int i) {
    return ByteString.copyFrom(HEX.parseHex(String.format("%08x", i)));
  }

  private static List<StoredEntry> stored(AgentNode node) throws Exception {
    return node.store()
        .readMaps(List.of(TestAgents.MAP))
        .get(30, TimeUnit.SECONDS)
        .entries(TestAgents.MAP);
  }
}
