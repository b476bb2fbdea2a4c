package io.mapsync.store.state;

import static io.mapsync.store.contract.Deltas.batch;
import static io.mapsync.store.contract.Deltas.put;
import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.store.StoreException;
import io.mapsync.store.memory.InMemoryStore;
import io.mapsync.wire.KvOp;
import io.mapsync.wire.KvPut;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.LeaseGrant;
import io.mapsync.wire.LogEntry;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import io.mapsync.wire.RangeResult;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registering a map by putting its spec at /mapsync/specs/&lt;map&gt; (what the etcd API offers).
 */
class SpecKeyTxnTest {
  private final InMemoryStore store = new InMemoryStore();

  @AfterEach
  void close() {
    store.close();
  }

  private static KvOp putOp(ByteString key, ByteString value) {
    return KvOp.newBuilder().setPut(KvPut.newBuilder().setKey(key).setValue(value)).build();
  }

  private void txn(KvOp... ops) {
    store.txn(KvTxn.newBuilder().addAllSuccess(List.of(ops)).build()).join();
  }

  private String refusal(KvOp... ops) {
    CompletionException e = assertThrows(CompletionException.class, () -> txn(ops));
    assertTrue(e.getCause() instanceof StoreException, e.toString());
    assertEquals(StoreException.Reason.REJECTED, ((StoreException) e.getCause()).reason());
    return e.getCause().getMessage();
  }

  @Test
  void aSpecPutRegistersTheMapAndDeltasThenApply() {
    MapSpec spec = spec("flows", MapType.HASH, 4, 4, 8);
    txn(putOp(KeyLayout.specKey("flows"), spec.toByteString()));

    assertEquals(spec, store.state().specs().get("flows"));
    RangeResult stored =
        store.range(KvRange.newBuilder().setKey(KeyLayout.specKey("flows")).build()).join();
    assertEquals(spec.toByteString(), stored.getKvs(0).getValue());
    assertTrue(store.propose(batch(put("flows", u32(1), u32(2)))).join().rejections().isEmpty());
  }

  @Test
  void anIdenticalRespecIsAcceptedAndADifferentOneRefused() {
    MapSpec spec = spec("lb", MapType.HASH, 4, 8, 16);
    store.registerMap(spec).join();
    txn(putOp(KeyLayout.specKey("lb"), spec.toByteString()));

    String why =
        refusal(
            putOp(
                KeyLayout.specKey("lb"),
                spec.toBuilder().setMaxEntries(32).build().toByteString()));
    assertTrue(why.contains("already registered with a different spec"), why);
    assertEquals(16, store.state().specs().get("lb").getMaxEntries());
  }

  @Test
  void aSpecMustMatchItsKeyBeValidAndCarryNoLease() {
    MapSpec spec = spec("a", MapType.HASH, 4, 4, 4);
    assertTrue(
        refusal(putOp(KeyLayout.specKey("b"), spec.toByteString()))
            .contains("its key must be /mapsync/specs/a"));
    assertTrue(
        refusal(putOp(KeyLayout.specKey("a"), ByteString.copyFromUtf8("not a spec")))
            .contains("MapSpec"));
    assertTrue(
        refusal(
                putOp(
                    KeyLayout.specKey("a"), spec.toBuilder().setKeySize(0).build().toByteString()))
            .contains("key_size"));

    store
        .append(
            LogEntry.newBuilder().setLeaseGrant(LeaseGrant.newBuilder().setId(7).setTtlSeconds(60)))
        .join();
    KvOp leased =
        KvOp.newBuilder()
            .setPut(
                KvPut.newBuilder()
                    .setKey(KeyLayout.specKey("a"))
                    .setValue(spec.toByteString())
                    .setLease(7))
            .build();
    assertTrue(refusal(leased).contains("lease"));
    assertFalse(store.state().specs().containsKey("a"));
  }

  @Test
  void oneTransactionMayRegisterAMapAndWriteItsEntries() {
    MapSpec spec = spec("nat", MapType.HASH, 4, 4, 4);
    txn(
        putOp(KeyLayout.specKey("nat"), spec.toByteString()),
        putOp(KeyLayout.entryKey("nat", u32(9)), u32(10)));
    assertEquals(u32(10), store.state().readMaps(List.of("nat")).entries("nat").get(0).value());
  }

  @Test
  void aRangeResultCarriesTheRevisionItWasServedAt() {
    txn(putOp(ByteString.copyFromUtf8("k"), ByteString.copyFromUtf8("v")));
    long before = store.state().approximateBytes();
    txn(putOp(ByteString.copyFromUtf8("k2"), ByteString.copyFromUtf8("v2")));
    RangeResult r =
        store
            .range(KvRange.newBuilder().setKey(ByteString.copyFromUtf8("k")).setRevision(1).build())
            .join();
    assertEquals(2, r.getRevision());
    assertTrue(store.state().approximateBytes() > before);
  }
}
