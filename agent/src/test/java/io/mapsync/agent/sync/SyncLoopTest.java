package io.mapsync.agent.sync;

import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static io.mapsync.store.contract.Deltas.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import io.mapsync.store.StoredEntry;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.store.memory.InMemoryStore;
import io.mapsync.wire.MapType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sync loop's logic over one shared in-memory log and map stand-ins: echo suppression, the
 * pending set, write-back after a capture race, bootstrap replacement, anti-entropy and randomized
 * convergence. The same properties are tested against real BPF maps and a real Ratis cluster in the
 * agent's kernel tests.
 */
class SyncLoopTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final InMemoryStore log = new InMemoryStore();
  private final List<SyncLoop> loops = new ArrayList<>();

  private record Agent(SyncLoop loop, MemoryMap map, GatedStore store) {}

  private Agent agent(String id) {
    return agent(id, new MemoryMap(spec("sessions", MapType.HASH, 4, 8, 100_000), true));
  }

  private Agent agent(String id, MemoryMap map) {
    GatedStore store = new GatedStore(log);
    SyncLoop loop =
        new SyncLoop(
            store,
            id + "#1",
            List.of(map),
            BatchPolicy.DEFAULT,
            SyncMetrics.NONE,
            Duration.ZERO,
            Clock.systemUTC());
    loop.start();
    map.capture = loop::onCaptured;
    loops.add(loop);
    return new Agent(loop, map, store);
  }

  @AfterEach
  void stop() {
    loops.forEach(SyncLoop::close);
    log.close();
  }

  private Map<ByteString, ByteString> storeContent() {
    Map<ByteString, ByteString> out = new HashMap<>();
    for (StoredEntry e : log.readMaps(List.of("sessions")).join().entries("sessions")) {
      out.put(e.key(), e.value());
    }
    return out;
  }

  private static void awaitEqual(String what, Map<ByteString, ByteString> expected, MemoryMap map) {
    RecordingListener.await(what, WAIT, () -> expected.equals(new HashMap<>(map.content)));
  }

  @Test
  void aCapturedWriteReachesTheOtherAgentsAndADeleteToo() {
    Agent a = agent("a");
    Agent b = agent("b");
    Agent c = agent("c");
    a.map().nfWrite(u32(1), u64(100));
    RecordingListener.await(
        "b and c get the write",
        WAIT,
        () ->
            u64(100).equals(b.map().content.get(u32(1)))
                && u64(100).equals(c.map().content.get(u32(1))));
    a.map().nfDelete(u32(1));
    RecordingListener.await(
        "b and c get the delete",
        WAIT,
        () -> !b.map().content.containsKey(u32(1)) && !c.map().content.containsKey(u32(1)));
  }

  @Test
  void anAgentNeverReappliesItsOwnDeltas() {
    Agent a = agent("a");
    Agent b = agent("b");
    for (int i = 0; i < 100; i++) {
      a.map().nfWrite(u32(i), u64(i));
    }
    RecordingListener.await("b has all 100", WAIT, () -> b.map().content.size() == 100);
    RecordingListener.await("a settled everything", WAIT, () -> a.loop().pendingWrites() == 0);
    assertEquals(0, a.map().agentWrites.get(), "a wrote its own deltas back into its map");
  }

  @Test
  void anOlderRemoteDeltaDoesNotOverwriteAPendingLocalWrite() throws Exception {
    Agent a = agent("a");
    Agent b = agent("b");
    a.store().hold();
    a.map().nfWrite(u32(7), u64(2));
    // b's write commits first, so it is older in the log than a's pending write.
    b.map().nfWrite(u32(7), u64(1));
    RecordingListener.await("b's delta committed", WAIT, () -> storeContent().containsKey(u32(7)));
    Thread.sleep(100);
    a.store().release();
    awaitEqual("b converges to a's later value", Map.of(u32(7), u64(2)), b.map());
    assertEquals(Map.of(u32(7), u64(2)), storeContent());
    assertEquals(u64(2), a.map().content.get(u32(7)));
    assertEquals(
        0, a.map().agentWrites.get(), "a applied the older remote delta over its pending write");
  }

  @Test
  void aLocalWriteOverwrittenBeforeItsCaptureArrivedIsWrittenBackOnceCommitted() {
    MemoryMap aMap = new MemoryMap(spec("sessions", MapType.HASH, 4, 8, 100_000), true);
    Agent a = agent("a", aMap);
    Agent b = agent("b");
    // The network function writes 2, but its capture is late ...
    long writtenAt = System.nanoTime();
    aMap.content.put(u32(9), u64(2));
    // ... and meanwhile a remote 1 is applied over it.
    b.map().nfWrite(u32(9), u64(1));
    RecordingListener.await(
        "a applied b's delta", WAIT, () -> u64(1).equals(aMap.content.get(u32(9))));
    a.loop().onCaptured(new CapturedChange("sessions", u32(9), u64(2), writtenAt, false));
    awaitEqual("a's map holds its own committed value again", Map.of(u32(9), u64(2)), aMap);
    awaitEqual("b follows", Map.of(u32(9), u64(2)), b.map());
    assertEquals(Map.of(u32(9), u64(2)), storeContent());
  }

  @Test
  void anOwnWriteTheKernelEvictedForAnOlderRemoteDeltaIsWrittenBackOnceCommitted() {
    MemoryMap aMap = new MemoryMap(spec("sessions", MapType.LRU_HASH, 4, 8, 100_000), false);
    aMap.evictsLocally = true;
    Agent a = agent("a", aMap);
    Agent b = agent("b", new MemoryMap(spec("sessions", MapType.LRU_HASH, 4, 8, 100_000), false));
    a.store().hold();
    a.map().nfWrite(u32(7), u64(2));
    // b's delta commits first, so the log orders it before a's pending write ...
    b.map().nfWrite(u32(8), u64(1));
    RecordingListener.await(
        "a applied b's delta", WAIT, () -> u64(1).equals(aMap.content.get(u32(8))));
    // ... and the kernel made room for it by evicting a's own, newer entry (evictions stay local).
    aMap.content.remove(u32(7));
    a.store().release();
    Map<ByteString, ByteString> log = Map.of(u32(7), u64(2), u32(8), u64(1));
    RecordingListener.await("a's write committed", WAIT, () -> log.equals(storeContent()));
    awaitEqual("a's map holds its own committed entry again", log, aMap);
    awaitEqual("b holds the log's content", log, b.map());
  }

  @Test
  void aKeyChangedTwiceInOneBatchIsOneChangeInTheLog() throws Exception {
    Agent a = agent("a");
    io.mapsync.store.contract.RecordingListener events =
        new io.mapsync.store.contract.RecordingListener();
    log.watch(
        io.mapsync.store.WatchRequest.prefix(io.mapsync.store.state.KeyLayout.MAPS_PREFIX, 0),
        events);
    a.store().hold();
    a.map().nfWrite(u32(1), u64(1));
    Thread.sleep(20);
    a.map().nfWrite(u32(2), u64(1));
    a.map().nfWrite(u32(2), u64(2));
    a.map().nfWrite(u32(2), u64(3));
    a.store().release();
    RecordingListener.await("both keys committed", WAIT, () -> storeContent().size() == 2);
    RecordingListener.await("a settled", WAIT, () -> a.loop().pendingWrites() == 0);
    for (var rev : events.revisions) {
      long distinct = rev.events().stream().map(e -> e.kv().getKey()).distinct().count();
      assertEquals(rev.events().size(), distinct, "a revision changed a key twice: " + rev);
    }
    assertEquals(u64(3), storeContent().get(u32(2)));
  }

  @Test
  void bootstrapReplacesLocalContentWithTheStores() {
    Agent a = agent("a");
    for (int i = 0; i < 50; i++) {
      a.map().nfWrite(u32(i), u64(i));
    }
    a.map().nfDelete(u32(0));
    RecordingListener.await("a's writes committed", WAIT, () -> storeContent().size() == 49);
    MemoryMap late = new MemoryMap(spec("sessions", MapType.HASH, 4, 8, 100_000), true);
    late.content.put(u32(0), u64(999));
    late.content.put(u32(1), u64(999));
    late.content.put(u32(5000), u64(5));
    agent("late", late);
    assertEquals(storeContent(), new HashMap<>(late.content), "bootstrap must replace, not merge");
    assertNull(late.content.get(u32(0)), "a key deleted in the log survived bootstrap");
  }

  @Test
  void antiEntropyRepairsADifferenceSeenTwiceAndNothingElse() {
    Agent a = agent("a");
    a.map().nfWrite(u32(1), u64(1));
    RecordingListener.await(
        "committed", WAIT, () -> a.loop().pendingWrites() == 0 && storeContent().size() == 1);
    a.map().content.put(u32(1), u64(42));
    assertEquals(0, a.loop().runAntiEntropy(), "a first sighting must not be repaired");
    assertEquals(1, a.loop().runAntiEntropy());
    assertEquals(u64(1), a.map().content.get(u32(1)));
    assertEquals(0, a.loop().runAntiEntropy());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void concurrentRandomWritersConvergeToTheStore(long seed) throws Exception {
    List<Agent> agents = List.of(agent("a"), agent("b"), agent("c"));
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < agents.size(); w++) {
      MemoryMap map = agents.get(w).map();
      Random random = new Random(seed * 31 + w);
      writers.add(
          new Thread(
              () -> {
                for (int i = 0; i < 2000; i++) {
                  ByteString key = u32(random.nextInt(64));
                  if (random.nextInt(5) == 0) {
                    map.nfDelete(key);
                  } else {
                    map.nfWrite(key, u64(random.nextLong()));
                  }
                }
              }));
    }
    writers.forEach(Thread::start);
    for (Thread t : writers) {
      t.join();
    }
    RecordingListener.await(
        "all settled",
        WAIT,
        () ->
            agents.stream()
                .allMatch(
                    x ->
                        x.loop().pendingWrites() == 0
                            && x.loop().appliedRevision() >= log.state().revision()));
    Map<ByteString, ByteString> expected = storeContent();
    for (Agent x : agents) {
      assertEquals(
          expected,
          new HashMap<>(x.map().content),
          "replica diverged from the store (seed " + seed + ")");
    }
    assertFalse(expected.isEmpty());
  }
}
