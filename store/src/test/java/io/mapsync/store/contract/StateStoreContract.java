package io.mapsync.store.contract;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.delete;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static io.mapsync.store.contract.Deltas.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.store.Commit;
import io.mapsync.store.Event;
import io.mapsync.store.MapsSnapshot;
import io.mapsync.store.RevisionEvents;
import io.mapsync.store.StateStore;
import io.mapsync.store.StoreException;
import io.mapsync.store.StoredEntry;
import io.mapsync.store.Watch;
import io.mapsync.store.WatchRequest;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.DeltaRejection;
import io.mapsync.wire.KvCompare;
import io.mapsync.wire.KvOp;
import io.mapsync.wire.KvPut;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.MapType;
import io.mapsync.wire.TxnResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} backend promises. A backend's test extends this class and opens a
 * fresh store (a real cluster for the real backends) in {@link #openStore()}.
 */
public abstract class StateStoreContract {
  protected static final Duration WAIT = Duration.ofSeconds(30);
  protected StateStore store;

  /** A fresh, empty store. */
  protected abstract StateStore openStore() throws Exception;

  /** Releases whatever {@link #openStore()} started beyond the store handle. */
  protected void closeStore() throws Exception {}

  @BeforeEach
  void open() throws Exception {
    store = openStore();
  }

  @AfterEach
  void close() throws Exception {
    if (store != null) {
      store.close();
    }
    closeStore();
  }

  protected static <T> T get(CompletableFuture<T> f) throws Exception {
    try {
      return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Test
  void proposedBatchIsCommittedAndReadable() throws Exception {
    get(store.registerMap(spec("sessions", MapType.HASH, 4, 8, 1024)));
    Commit c =
        get(
            store.propose(
                batch(put("sessions", u32(1), u64(10)), put("sessions", u32(2), u64(20)))));
    assertTrue(c.revision() > 0);
    assertTrue(c.rejections().isEmpty());
    MapsSnapshot snap = get(store.readMaps(List.of("sessions")));
    assertTrue(snap.revision() >= c.revision());
    assertEquals(
        List.of(u32(1), u32(2)), snap.entries("sessions").stream().map(StoredEntry::key).toList());
    assertEquals(u64(20), snap.entries("sessions").get(1).value());
  }

  @Test
  void badDeltasAreRejectedOneByOneAndTheRestApplied() throws Exception {
    get(store.registerMap(spec("nat", MapType.HASH, 4, 8, 1024)));
    Commit c =
        get(
            store.propose(
                batch(
                    put("nat", u32(1), u64(1)),
                    put("missing", u32(1), u64(1)),
                    put("nat", u64(2), u64(2)),
                    put("nat", u32(3), u32(3)),
                    put("nat", u32(4), u64(4)))));
    assertEquals(List.of(1, 2, 3), c.rejections().stream().map(DeltaRejection::getIndex).toList());
    assertEquals(
        List.of(
            DeltaRejection.Reason.UNKNOWN_MAP,
            DeltaRejection.Reason.KEY_SIZE,
            DeltaRejection.Reason.VALUE_SIZE),
        c.rejections().stream().map(DeltaRejection::getReason).toList());
    assertTrue(
        c.rejections().get(1).getMessage().contains("'nat'"), c.rejections().get(1).getMessage());
    assertEquals(
        List.of(u32(1), u32(4)),
        get(store.readMaps(List.of("nat"))).entries("nat").stream().map(StoredEntry::key).toList());
  }

  @Test
  void conflictingSpecIsRejectedAndTheFirstKept() throws Exception {
    get(store.registerMap(spec("lb", MapType.HASH, 4, 8, 16)));
    get(store.registerMap(spec("lb", MapType.HASH, 4, 8, 16)));
    Exception e = expectFailure(store.registerMap(spec("lb", MapType.LRU_HASH, 4, 8, 16)));
    assertEquals(StoreException.Reason.REJECTED, ((StoreException) e).reason());
    assertEquals(MapType.HASH, get(store.readMaps(List.of("lb"))).specs().get("lb").getType());
  }

  @Test
  void fullHashMapRefusesNewKeysButLruMapAccepts() throws Exception {
    get(store.registerMap(spec("small", MapType.HASH, 4, 4, 2)));
    get(store.registerMap(spec("lru", MapType.LRU_HASH, 4, 4, 2)));
    Commit c =
        get(
            store.propose(
                batch(
                    put("small", u32(1), u32(1)),
                    put("small", u32(2), u32(2)),
                    put("small", u32(3), u32(3)),
                    put("small", u32(1), u32(9)),
                    put("lru", u32(1), u32(1)),
                    put("lru", u32(2), u32(2)),
                    put("lru", u32(3), u32(3)))));
    assertEquals(1, c.rejections().size());
    assertEquals(DeltaRejection.Reason.MAP_FULL, c.rejections().get(0).getReason());
    assertEquals(2, c.rejections().get(0).getIndex());
    // The embedded store also holds an LRU map to max_entries (LruBoundsTest); the etcd backend
    // does not yet.
    assertTrue(
        get(store.readMaps(List.of("lru"))).entries("lru").stream()
            .anyMatch(e -> e.key().equals(u32(3))),
        "the LRU map refused its newest key");
  }

  @Test
  void arrayEntriesCannotBeDeletedOrIndexedPastTheEnd() throws Exception {
    get(store.registerMap(spec("arr", MapType.ARRAY, 4, 4, 4)));
    Commit c =
        get(
            store.propose(
                batch(
                    put("arr", u32(3), u32(1)),
                    put("arr", u32(4), u32(1)),
                    delete("arr", u32(3)))));
    assertEquals(
        List.of(DeltaRejection.Reason.KEY_OUT_OF_RANGE, DeltaRejection.Reason.UNSUPPORTED_OP),
        c.rejections().stream().map(DeltaRejection::getReason).toList());
  }

  @Test
  void aRetriedBatchIsAcknowledgedButAppliedOnce() throws Exception {
    get(store.registerMap(spec("m", MapType.HASH, 4, 4, 16)));
    Commit first = get(store.propose(batch("n1#1", 7, put("m", u32(1), u32(1)))));
    get(store.propose(batch("n2#1", 1, put("m", u32(1), u32(2)))));
    Commit again = get(store.propose(batch("n1#1", 7, put("m", u32(1), u32(1)))));
    assertFalse(first.duplicate());
    assertTrue(again.duplicate());
    assertEquals(first.revision(), again.revision());
    assertEquals(u32(2), get(store.readMaps(List.of("m"))).entries("m").get(0).value());
  }

  @Test
  void watchDeliversEveryCommitInOrderWithoutGapsOrDuplicates() throws Exception {
    get(store.registerMap(spec("w", MapType.HASH, 4, 4, 100_000)));
    RecordingListener rec = new RecordingListener();
    try (Watch w = store.watch(WatchRequest.prefix(KeyLayout.MAPS_PREFIX, 0), rec)) {
      List<CompletableFuture<Commit>> commits = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        commits.add(
            store.propose(batch(put("w", u32(i), u32(i)), put("w", u32(i + 1000), u32(i)))));
      }
      Set<Long> revisions = new java.util.TreeSet<>();
      for (CompletableFuture<Commit> f : commits) {
        revisions.add(get(f).revision());
      }
      RecordingListener.await("400 events", WAIT, () -> rec.eventCount() >= 400);
      List<Long> seen = rec.revisions.stream().map(RevisionEvents::revision).toList();
      assertEquals(
          new ArrayList<>(revisions), seen, "each committed batch exactly once, in log order");
      for (RevisionEvents r : rec.revisions) {
        assertEquals(2, r.events().size());
      }
    }
  }

  @Test
  void watchFromAPastRevisionReplaysFromThere() throws Exception {
    get(store.registerMap(spec("p", MapType.HASH, 4, 4, 16)));
    long r1 = get(store.propose(batch(put("p", u32(1), u32(1))))).revision();
    long r2 = get(store.propose(batch(put("p", u32(1), u32(2))))).revision();
    long r3 = get(store.propose(batch(delete("p", u32(1))))).revision();
    RecordingListener rec = new RecordingListener();
    try (Watch w =
        store.watch(
            new WatchRequest(
                KeyLayout.MAPS_PREFIX,
                io.mapsync.store.KeyRanges.prefixEnd(KeyLayout.MAPS_PREFIX),
                r2,
                true),
            rec)) {
      RecordingListener.await("two revisions", WAIT, () -> rec.revisions.size() >= 2);
      assertEquals(List.of(r2, r3), rec.revisions.stream().map(RevisionEvents::revision).toList());
      Event del = rec.revisions.get(1).events().get(0);
      assertEquals(Event.Type.DELETE, del.type());
      assertEquals(u32(2), del.prevKv().getValue());
      assertTrue(r1 < r2);
    }
  }

  @Test
  void watchFromACompactedRevisionIsToldSoAndCanResync() throws Exception {
    get(store.registerMap(spec("c", MapType.HASH, 4, 4, 16)));
    long r1 = get(store.propose(batch(put("c", u32(1), u32(1))))).revision();
    long r2 = get(store.propose(batch(put("c", u32(2), u32(2))))).revision();
    get(store.compact(r2));
    RecordingListener rec = new RecordingListener();
    store.watch(WatchRequest.prefix(KeyLayout.MAPS_PREFIX, r1), rec);
    RecordingListener.await("compacted", WAIT, () -> rec.compacted.get() >= 0);
    assertTrue(rec.compacted.get() >= r2, "compact revision " + rec.compacted.get());
    assertTrue(rec.revisions.isEmpty());
    // Resync: a snapshot, then a watch from its revision + 1 continues without gaps.
    MapsSnapshot snap = get(store.readMaps(List.of("c")));
    assertEquals(2, snap.entries("c").size());
    RecordingListener tail = new RecordingListener();
    try (Watch w =
        store.watch(WatchRequest.prefix(KeyLayout.MAPS_PREFIX, snap.revision() + 1), tail)) {
      long r3 = get(store.propose(batch(put("c", u32(3), u32(3))))).revision();
      RecordingListener.await("the next revision", WAIT, () -> !tail.revisions.isEmpty());
      assertEquals(r3, tail.revisions.get(0).revision());
      assertEquals(-1, tail.compacted.get());
    }
  }

  @Test
  void snapshotPlusWatchEqualsTheFinalState() throws Exception {
    get(store.registerMap(spec("s", MapType.HASH, 4, 4, 10_000)));
    for (int i = 0; i < 50; i++) {
      get(store.propose(batch(put("s", u32(i), u32(i)))));
    }
    MapsSnapshot snap = get(store.readMaps(List.of("s")));
    Map<ByteString, ByteString> folded = new HashMap<>();
    snap.entries("s").forEach(e -> folded.put(e.key(), e.value()));
    RecordingListener rec = new RecordingListener();
    try (Watch w =
        store.watch(WatchRequest.prefix(KeyLayout.mapPrefix("s"), snap.revision() + 1), rec)) {
      long last = 0;
      for (int i = 0; i < 50; i++) {
        last =
            get(store.propose(batch(i % 3 == 0 ? delete("s", u32(i)) : put("s", u32(i), u32(-i)))))
                .revision();
      }
      final long lastRev = last;
      RecordingListener.await(
          "last revision",
          WAIT,
          () ->
              !rec.revisions.isEmpty()
                  && rec.revisions.get(rec.revisions.size() - 1).revision() == lastRev);
      for (RevisionEvents r : rec.revisions) {
        for (Event e : r.events()) {
          ByteString raw = KeyLayout.parseEntryKey(e.kv().getKey()).orElseThrow().rawKey();
          if (e.type() == Event.Type.PUT) {
            folded.put(raw, e.kv().getValue());
          } else {
            folded.remove(raw);
          }
        }
      }
    }
    Map<ByteString, ByteString> actual = new HashMap<>();
    get(store.readMaps(List.of("s"))).entries("s").forEach(e -> actual.put(e.key(), e.value()));
    assertEquals(actual, folded);
  }

  @Test
  void txnComparesAndSwapsAtomically() throws Exception {
    ByteString k = ByteString.copyFromUtf8("config/leader");
    get(store.txn(KvTxn.newBuilder().addSuccess(putOp(k, "a")).build()));
    KvCompare isA =
        KvCompare.newBuilder()
            .setKey(k)
            .setTarget(KvCompare.Target.VALUE)
            .setResult(KvCompare.Result.EQUAL)
            .setValue(ByteString.copyFromUtf8("a"))
            .build();
    TxnResult first =
        get(store.txn(KvTxn.newBuilder().addCompare(isA).addSuccess(putOp(k, "b")).build()));
    TxnResult second =
        get(store.txn(KvTxn.newBuilder().addCompare(isA).addSuccess(putOp(k, "c")).build()));
    assertTrue(first.getSucceeded());
    assertFalse(second.getSucceeded());
    var read = get(store.range(KvRange.newBuilder().setKey(k).build()));
    assertEquals("b", read.getKvs(0).getValue().toStringUtf8());
    assertEquals(2, read.getKvs(0).getVersion());
  }

  @Test
  void txnWritesToMapEntriesMustFitTheMap() throws Exception {
    get(store.registerMap(spec("t", MapType.HASH, 4, 4, 16)));
    ByteString good = KeyLayout.entryKey("t", u32(1));
    get(
        store.txn(
            KvTxn.newBuilder()
                .addSuccess(
                    KvOp.newBuilder().setPut(KvPut.newBuilder().setKey(good).setValue(u32(5))))
                .build()));
    assertEquals(u32(5), get(store.readMaps(List.of("t"))).entries("t").get(0).value());
    Exception e =
        expectFailure(
            store.txn(
                KvTxn.newBuilder()
                    .addSuccess(
                        KvOp.newBuilder().setPut(KvPut.newBuilder().setKey(good).setValue(u64(5))))
                    .build()));
    assertEquals(StoreException.Reason.REJECTED, ((StoreException) e).reason());
    assertTrue(e.getMessage().contains("4-byte values"), e.getMessage());
  }

  @Test
  void rangeReadsAnOlderRevision() throws Exception {
    ByteString k = ByteString.copyFromUtf8("k");
    get(store.txn(KvTxn.newBuilder().addSuccess(putOp(k, "v1")).build()));
    long r1 = get(store.range(KvRange.newBuilder().setKey(k).build())).getKvs(0).getModRevision();
    get(store.txn(KvTxn.newBuilder().addSuccess(putOp(k, "v2")).build()));
    var past = get(store.range(KvRange.newBuilder().setKey(k).setRevision(r1).build()));
    assertEquals("v1", past.getKvs(0).getValue().toStringUtf8());
  }

  private static KvOp putOp(ByteString k, String v) {
    return KvOp.newBuilder()
        .setPut(KvPut.newBuilder().setKey(k).setValue(ByteString.copyFromUtf8(v)))
        .build();
  }

  protected static Exception expectFailure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(StoreException.class, e.getCause());
    }
    throw new AssertionError("expected the operation to fail");
  }
}
