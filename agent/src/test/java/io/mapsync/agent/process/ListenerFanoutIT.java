package io.mapsync.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.mapsync.bench.sync.FanoutBenchCommand;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.MapEntry;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.bpf.testing.Require;
import io.mapsync.lab.AgentProcesses;
import io.mapsync.lab.Prerequisites;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.store.state.KeyLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Listeners at scale: three voters and twenty listener agents, each an OS process of the built
 * binary with a small heap and its own pinned map. Bursts of bpf() writes and deletes on a voter
 * and on a listener at once; then every agent's map, read through bpf(), equals the voters' store.
 */
@Tag("long") // minutes of agent JVMs: outside the default run, see docs/operations.md
class ListenerFanoutIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int LISTENERS = 20;
  private static final int BURST = 300;
  private static final String MAP = "sessions";
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Voters get a bigger heap than listeners, and C1 only: the test measures nothing, it checks
   * state.
   */
  private static final List<String> VOTER_JVM =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  @BeforeAll
  static void binary() {
    Require.tracepoints();
    String jar = System.getProperty("mapsync.binary");
    Prerequisites.require(
        jar != null && Files.exists(Path.of(jar)),
        "the mapsync binary was not built (" + jar + ")");
  }

  @Test
  void twentyListenersEndWithTheVotersStoreAfterBurstsOnAVoterAndAListener() throws Exception {
    try (AgentProcesses agents =
        new AgentProcesses(3, MAP + ":hash:8:8:4096", "/sys/fs/bpf/mapsync-it", List.of())
            .withListeners(LISTENERS)
            .jvmOptions(VOTER_JVM, FanoutBenchCommand.SMALL_JVM)) {
      try {
        agents.start(false);
        burstsOnAVoterAndAListener(agents);
        assertEveryMapEqualsTheStore(agents);
      } catch (Throwable t) {
        throw new AssertionError(
            "members' logs kept in " + agents.keepLogs() + ": " + t.getMessage(), t);
      }
    }
  }

  /**
   * n2 (a voter) and l7 (a listener) write at the same time: disjoint keys, then deletes of a tenth
   * of them.
   */
  private static void burstsOnAVoterAndAListener(AgentProcesses agents) throws Exception {
    Thread voter = writer(agents.pin("n2"), 0);
    Thread listener = writer(agents.pin("l7"), 10_000);
    voter.start();
    listener.start();
    voter.join();
    listener.join();
  }

  private static Thread writer(Path pin, long base) {
    return new Thread(
        () -> {
          try (BpfMap map = BpfMap.openPinned(pin)) {
            for (long i = 0; i < BURST; i++) {
              map.update(le(base + i), le(base + i), UpdateFlag.ANY);
            }
            for (long i = 0; i < BURST; i += 10) {
              map.delete(le(base + i));
            }
          }
        },
        "burst-" + pin.getParent().getFileName());
  }

  private static void assertEveryMapEqualsTheStore(AgentProcesses agents) throws Exception {
    int expected = 2 * (BURST - BURST / 10);
    try (Client client =
        Client.builder().endpoints("http://" + agents.clients().get("n1")).build()) {
      // A read that times out on a crowded machine is retried until the deadline, not a failure.
      RecordingListener.await(
          "the voters' store holds both bursts",
          WAIT,
          () -> {
            try {
              return store(client).size() == expected;
            } catch (IllegalStateException slow) {
              return false;
            }
          });
      Map<String, String> store = store(client);
      for (String id : agents.ids()) {
        try (BpfMap map = BpfMap.openPinned(agents.pin(id))) {
          RecordingListener.await(
              id + "'s map equals the store", WAIT, () -> content(map).equals(store));
        }
      }
      assertEquals(store, store(client), "the store changed after the bursts");
      assertEquals(3 + LISTENERS, agents.ids().size());
    }
  }

  /** The map's entries in the store, hex key to hex value (linearizable read through n1). */
  private static Map<String, String> store(Client client) {
    ByteString prefix = KeyLayout.mapPrefix(MAP);
    try {
      Map<String, String> out = new TreeMap<>();
      client
          .getKVClient()
          .get(ByteSequence.from(prefix.toByteArray()), GetOption.builder().isPrefix(true).build())
          .get(30, TimeUnit.SECONDS)
          .getKvs()
          .forEach(
              kv -> {
                ByteString key = ByteString.copyFrom(kv.getKey().getBytes());
                out.put(
                    HEX.formatHex(
                        KeyLayout.parseEntryKey(key).orElseThrow().rawKey().toByteArray()),
                    HEX.formatHex(kv.getValue().getBytes()));
              });
      return out;
    } catch (Exception e) {
      throw new IllegalStateException("reading the store failed: " + e, e);
    }
  }

  private static Map<String, String> content(BpfMap map) {
    Map<String, String> out = new TreeMap<>();
    for (MapEntry e : map.dump()) {
      out.put(HEX.formatHex(e.key()), HEX.formatHex(e.value()));
    }
    return out;
  }

  private static byte[] le(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }
}
