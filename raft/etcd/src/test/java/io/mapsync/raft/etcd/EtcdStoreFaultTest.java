package io.mapsync.raft.etcd;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.delete;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.store.Commit;
import io.mapsync.store.Event;
import io.mapsync.store.KeyRanges;
import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.RevisionEvents;
import io.mapsync.store.StoreException;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.contract.RecordingListener;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.DeltaBatch;
import io.mapsync.wire.KeyValue;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.MapType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The etcd backend under failures on a real 3-member cluster: a watch outlives the member that
 * served it (SIGKILL), a watch cut off while the history is compacted is told so and the agent's
 * resync converges, and proposals that run through a leader crash lose nothing and apply nothing
 * twice.
 */
class EtcdStoreFaultTest {
  @RegisterExtension static final EtcdClusterExtension ETCD = new EtcdClusterExtension(3);

  private static final Duration WAIT = Duration.ofSeconds(60);

  @BeforeEach
  @AfterEach
  void wholeCluster() throws Exception {
    for (int i = 0; i < 3; i++) {
      if (!ETCD.cluster().isRunning(i)) {
        ETCD.cluster().restart(i);
      }
    }
  }

  @Test
  void watchResumesWhenTheMemberServingItIsKilled() throws Exception {
    int serving = ETCD.cluster().leader() == 0 ? 1 : 0;
    List<String> endpoints = new ArrayList<>(ETCD.endpoints());
    endpoints.add(0, endpoints.remove(serving));
    // pick_first sends every call, the watch stream included, to the first endpoint while it lives.
    EtcdConfig watching =
        new EtcdConfig(
            endpoints,
            "/fault/watch",
            Duration.ofSeconds(2),
            Duration.ofSeconds(20),
            128,
            1000,
            "pick_first");
    try (EtcdStore watcherStore = EtcdStore.open(watching);
        EtcdStore writerStore = EtcdStore.open(ETCD.config().withPrefix("/fault/watch"))) {
      get(writerStore.registerMap(spec("w", MapType.LRU_HASH, 4, 4, 100_000)));
      RecordingListener seen = new RecordingListener();
      ResumingWatch watch =
          (ResumingWatch) watcherStore.watch(WatchRequest.prefix(KeyLayout.MAPS_PREFIX, 0), seen);
      List<Long> acked = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> writing =
          CompletableFuture.runAsync(
              () -> {
                for (int seq = 1; seq <= 300; seq++) {
                  acked.add(
                      proposeUntilAcked(
                              writerStore, batch("fw#1", seq, put("w", u32(seq), u32(seq))))
                          .revision());
                }
              });
      RecordingListener.await(
          "50 revisions before the kill", WAIT, () -> seen.revisions.size() >= 50);
      ETCD.cluster().kill(serving);
      writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      long last = acked.get(acked.size() - 1);
      RecordingListener.await(
          "the last acknowledged revision", WAIT, () -> lastRevision(seen) >= last);
      assertTrue(watch.resumes() >= 1, "the watch stream was broken and reopened");
      assertEquals(
          acked,
          seen.revisions.stream().map(RevisionEvents::revision).toList(),
          "every acknowledged batch once, in order, nothing else");
      for (RevisionEvents r : seen.revisions) {
        assertEquals(1, r.events().size());
        assertEquals(
            "fw#1", r.events().get(0).kv().getOrigin(), "the origin comes from the batch's marker");
      }
      watch.close();
    }
  }

  @Test
  void aWatchCutOffDuringACompactionIsToldSoAndAResyncConverges() throws Exception {
    int member = 1;
    EtcdConfig direct =
        new EtcdConfig(
            List.of(ETCD.cluster().endpoint(member)),
            "/fault/compact",
            Duration.ofSeconds(2),
            Duration.ofSeconds(20),
            128,
            1000,
            "pick_first");
    try (TcpProxy link = new TcpProxy(ETCD.cluster().clientPort(member));
        EtcdStore writer = EtcdStore.open(direct);
        EtcdStore agent =
            EtcdStore.open(
                new EtcdConfig(
                    List.of(link.url()),
                    "/fault/compact",
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(20),
                    128,
                    1000,
                    "pick_first"))) {
      get(writer.registerMap(spec("c", MapType.HASH, 4, 4, 10_000)));
      long seq = 1;
      for (int i = 0; i < 20; i++) {
        get(writer.propose(batch("fc#1", seq++, put("c", u32(i), u32(i)))));
      }
      Folded replica = new Folded();
      replica.install(get(agent.readMaps(List.of("c"))));
      RecordingListener first = new RecordingListener();
      Watch w1 =
          agent.watch(WatchRequest.prefix(KeyLayout.mapPrefix("c"), replica.revision + 1), first);
      long beforeCut =
          get(writer.propose(batch("fc#1", seq++, put("c", u32(100), u32(100))))).revision();
      RecordingListener.await(
          "the watch is streaming", WAIT, () -> lastRevision(first) >= beforeCut);

      // The agent is cut off; meanwhile the map changes and the history is compacted. The writer
      // talks to the same member, so when compact returns that member has compacted too.
      link.cut();
      for (int i = 0; i < 30; i++) {
        get(
            writer.propose(
                batch(
                    "fc#1",
                    seq++,
                    i % 3 == 0 ? delete("c", u32(i)) : put("c", u32(i), u32(1000 + i)))));
      }
      long compactTo =
          get(writer.propose(batch("fc#1", seq++, put("c", u32(500), u32(500))))).revision();
      get(writer.compact(compactTo));
      link.restore();

      RecordingListener.await("onCompacted", WAIT, () -> first.compacted.get() >= 0);
      assertTrue(first.compacted.get() >= compactTo, "compacted at " + first.compacted.get());
      first.revisions.forEach(replica::apply);
      w1.close();

      // Resync as the agent does: a consistent copy, then a watch from its revision + 1.
      replica.install(get(agent.readMaps(List.of("c"))));
      RecordingListener tail = new RecordingListener();
      try (Watch w2 =
          agent.watch(WatchRequest.prefix(KeyLayout.mapPrefix("c"), replica.revision + 1), tail)) {
        long last = 0;
        for (int i = 0; i < 10; i++) {
          last =
              get(writer.propose(batch("fc#1", seq++, put("c", u32(i), u32(2000 + i))))).revision();
        }
        long lastRev = last;
        RecordingListener.await(
            "the last revision after resync", WAIT, () -> lastRevision(tail) >= lastRev);
        assertTrue(w2.nextRevision() > lastRev);
        tail.revisions.forEach(replica::apply);
        assertEquals(-1, tail.compacted.get());
      }
      Map<ByteString, ByteString> truth = new HashMap<>();
      get(writer.readMaps(List.of("c"))).entries("c").forEach(e -> truth.put(e.key(), e.value()));
      assertEquals(truth, replica.entries);
    }
  }

  @Test
  void killingTheLeaderDuringProposalsLosesNothingAndAppliesNothingTwice() throws Exception {
    List<String> origins = List.of("pa#1", "pb#1");
    ExecutorService threads = Executors.newFixedThreadPool(origins.size());
    try (EtcdStore store = EtcdStore.open(ETCD.config().withPrefix("/fault/propose"))) {
      get(store.registerMap(spec("p", MapType.HASH, 4, 4, 1_000_000)));
      AtomicInteger acked = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      long[] lastSeq = new long[origins.size()];
      List<CompletableFuture<Void>> writers = new ArrayList<>();
      for (int o = 0; o < origins.size(); o++) {
        String origin = origins.get(o);
        int writer = o;
        writers.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int seq = 1; !stop.get(); seq++) {
                    int k = (writer << 20) + seq * 4;
                    proposeUntilAcked(
                        store,
                        batch(
                            origin,
                            seq,
                            put("p", u32(k), u32(seq)),
                            put("p", u32(k + 1), u32(seq)),
                            put("p", u32(k + 2), u32(seq))));
                    lastSeq[writer] = seq;
                    acked.incrementAndGet();
                  }
                },
                threads));
      }
      // Two crashes: the first leader, then (once it is back) whoever leads next.
      for (int crash = 1; crash <= 2; crash++) {
        int before = acked.get() + 100;
        RecordingListener.await(
            before + " batches before crash " + crash,
            WAIT,
            () -> failFast(writers) && acked.get() >= before);
        int leader = ETCD.cluster().leader();
        ETCD.cluster().kill(leader);
        int atKill = acked.get();
        awaitOrDump(
            "progress after crash " + crash, () -> failFast(writers) && acked.get() >= atKill + 50);
        var status = get(store.status());
        assertEquals(3, status.members().size());
        assertTrue(
            status.members().stream().anyMatch(m -> m.role().equals("UNKNOWN")), status.toString());
        assertTrue(
            status.members().stream().anyMatch(m -> m.role().equals("LEADER")), status.toString());
        ETCD.cluster().restart(leader);
      }
      stop.set(true);
      CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      ByteString prefix = KeyLayout.mapPrefix("p");
      List<KeyValue> kvs =
          get(store.range(
                  KvRange.newBuilder()
                      .setKey(prefix)
                      .setRangeEnd(KeyRanges.prefixEnd(prefix))
                      .build()))
              .getKvsList();
      assertEquals(
          3 * (lastSeq[0] + lastSeq[1]),
          kvs.size(),
          "every acknowledged delta is there, nothing else");
      for (KeyValue kv : kvs) {
        assertEquals(1, kv.getVersion(), "written once: " + kv.getKey().toStringUtf8());
      }
      for (int o = 0; o < origins.size(); o++) {
        KeyValue marker =
            get(store.range(
                    KvRange.newBuilder().setKey(KeyLayout.originKey(origins.get(o))).build()))
                .getKvs(0);
        assertEquals(OriginMarker.encode(lastSeq[o]), marker.getValue());
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** Retries a batch the way the agent does: the same batch again until it is acknowledged. */
  private static Commit proposeUntilAcked(EtcdStore store, DeltaBatch batch) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        return store.propose(batch).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof StoreException se)
            || !se.retriable()
            || System.nanoTime() > deadline) {
          throw new AssertionError(
              "batch " + batch.getOrigin() + "/" + batch.getBatchSeq() + " failed", e);
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  /** True while no writer has failed; a failed writer's error is thrown at once. */
  private static boolean failFast(List<CompletableFuture<Void>> writers) {
    for (CompletableFuture<Void> w : writers) {
      if (w.isCompletedExceptionally()) {
        w.join();
      }
    }
    return true;
  }

  /** Like RecordingListener.await, but a timeout also prints every thread and the members' logs. */
  private static void awaitOrDump(String what, java.util.function.BooleanSupplier condition) {
    try {
      RecordingListener.await(what, WAIT, condition);
    } catch (AssertionError e) {
      StringBuilder dump = new StringBuilder();
      Thread.getAllStackTraces()
          .forEach(
              (t, stack) -> {
                dump.append('"')
                    .append(t.getName())
                    .append("\" ")
                    .append(t.getState())
                    .append('\n');
                for (StackTraceElement el : stack) {
                  dump.append("    at ").append(el).append('\n');
                }
              });
      System.out.println(dump);
      throw new AssertionError(e.getMessage() + "\n" + ETCD.cluster().logs(), e);
    }
  }

  private static long lastRevision(RecordingListener l) {
    return l.revisions.isEmpty() ? 0 : l.revisions.get(l.revisions.size() - 1).revision();
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** A replica of one map the way the agent keeps it: a snapshot, then the watched changes. */
  private static final class Folded {
    final Map<ByteString, ByteString> entries = new HashMap<>();
    long revision;

    void install(MapsSnapshot snap) {
      entries.clear();
      snap.entries("c").forEach(e -> entries.put(e.key(), e.value()));
      revision = snap.revision();
    }

    void apply(RevisionEvents r) {
      for (Event e : r.events()) {
        ByteString raw = KeyLayout.parseEntryKey(e.kv().getKey()).orElseThrow().rawKey();
        if (e.type() == Event.Type.PUT) {
          entries.put(raw, e.kv().getValue());
        } else {
          entries.remove(raw);
        }
      }
      revision = r.revision();
    }
  }
}
