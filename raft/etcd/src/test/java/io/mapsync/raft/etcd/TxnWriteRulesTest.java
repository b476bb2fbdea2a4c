package io.mapsync.raft.etcd;

import static io.mapsync.store.contract.Deltas.spec;
import static io.mapsync.store.contract.Deltas.u32;
import static io.mapsync.store.contract.Deltas.u64;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.store.KeyRanges;
import io.mapsync.store.StoreException;
import io.mapsync.store.state.KeyLayout;
import io.mapsync.wire.KvDeleteRange;
import io.mapsync.wire.KvOp;
import io.mapsync.wire.KvPut;
import io.mapsync.wire.KvTxn;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A txn through the etcd backend is held to the embedded store's rules for reserved keys. */
class TxnWriteRulesTest {
  private static final Map<String, MapSpec> SPECS =
      Map.of("t", spec("t", MapType.HASH, 4, 4, 16), "arr", spec("arr", MapType.ARRAY, 4, 4, 4));

  @Test
  void putsToEntriesMustFitTheirMapInEitherBranch() {
    KvTxn bad = KvTxn.newBuilder().addFailure(put(KeyLayout.entryKey("t", u32(1)), u64(5))).build();
    StoreException e = assertThrows(StoreException.class, () -> TxnWriteRules.check(bad, SPECS));
    assertTrue(e.getMessage().contains("4-byte values"), e.getMessage());
    assertEquals(Set.of("t"), TxnWriteRules.mapsTouched(bad));
    assertDoesNotThrow(
        () ->
            TxnWriteRules.check(
                KvTxn.newBuilder().addSuccess(put(KeyLayout.entryKey("t", u32(1)), u32(5))).build(),
                SPECS));
  }

  @Test
  void specsAndOtherReservedKeysAreNotWrittenButMarkersAre() {
    assertThrows(
        StoreException.class,
        () ->
            TxnWriteRules.check(
                KvTxn.newBuilder()
                    .addSuccess(put(KeyLayout.specKey("t"), ByteString.EMPTY))
                    .build(),
                SPECS));
    assertDoesNotThrow(
        () ->
            TxnWriteRules.check(
                KvTxn.newBuilder()
                    .addSuccess(put(KeyLayout.originKey("n1#1"), OriginMarker.encode(3)))
                    .build(),
                SPECS));
    assertDoesNotThrow(
        () ->
            TxnWriteRules.check(
                KvTxn.newBuilder()
                    .addSuccess(put(ByteString.copyFromUtf8("config/x"), u32(1)))
                    .build(),
                SPECS));
  }

  @Test
  void deletesStayInsideOneNonArrayMap() {
    ByteString t = KeyLayout.mapPrefix("t");
    assertDoesNotThrow(() -> TxnWriteRules.check(delete(t, KeyRanges.prefixEnd(t)), SPECS));
    ByteString arr = KeyLayout.mapPrefix("arr");
    assertThrows(
        StoreException.class,
        () -> TxnWriteRules.check(delete(arr, KeyRanges.prefixEnd(arr)), SPECS));
    assertThrows(
        StoreException.class,
        () ->
            TxnWriteRules.check(
                delete(KeyLayout.ROOT_PREFIX, KeyRanges.prefixEnd(KeyLayout.ROOT_PREFIX)), SPECS));
    assertThrows(
        StoreException.class,
        () ->
            TxnWriteRules.check(
                delete(ByteString.copyFromUtf8("/"), ByteString.copyFrom(new byte[] {0})), SPECS));
  }

  private static KvOp put(ByteString key, ByteString value) {
    return KvOp.newBuilder().setPut(KvPut.newBuilder().setKey(key).setValue(value)).build();
  }

  private static KvTxn delete(ByteString key, ByteString end) {
    return KvTxn.newBuilder()
        .addSuccess(
            KvOp.newBuilder()
                .setDeleteRange(KvDeleteRange.newBuilder().setKey(key).setRangeEnd(end)))
        .build();
  }
}
