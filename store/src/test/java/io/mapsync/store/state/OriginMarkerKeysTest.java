package io.mapsync.store.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mapsync.store.StoreException;
import io.mapsync.store.memory.InMemoryStore;
import io.mapsync.wire.KvDeleteRange;
import io.mapsync.wire.KvOp;
import io.mapsync.wire.KvPut;
import io.mapsync.wire.KvRange;
import io.mapsync.wire.KvTxn;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Origin marker keys: their layout, and that the etcd API may write them while other reserved keys
 * stay refused.
 */
class OriginMarkerKeysTest {

  @Test
  void originKeysRoundTrip() {
    ByteString key = KeyLayout.originKey("n1#3");
    assertEquals("/mapsync/origins/n1#3", key.toStringUtf8());
    assertEquals(Optional.of("n1#3"), KeyLayout.parseOriginKey(key));
    assertEquals(Optional.empty(), KeyLayout.parseOriginKey(KeyLayout.ORIGINS_PREFIX));
    assertEquals(Optional.empty(), KeyLayout.parseOriginKey(KeyLayout.specKey("m")));
    assertTrue(KeyLayout.isReserved(key));
    assertThrows(IllegalArgumentException.class, () -> KeyLayout.originKey(""));
  }

  @Test
  void txnMayWriteAndDeleteOriginMarkers() throws Exception {
    try (InMemoryStore store = new InMemoryStore()) {
      ByteString marker = KeyLayout.originKey("n1#1");
      store.txn(put(marker, "00000000000000000007")).get();
      assertEquals(
          "00000000000000000007",
          store
              .range(KvRange.newBuilder().setKey(marker).build())
              .get()
              .getKvs(0)
              .getValue()
              .toStringUtf8());
      store
          .txn(
              KvTxn.newBuilder()
                  .addSuccess(
                      KvOp.newBuilder().setDeleteRange(KvDeleteRange.newBuilder().setKey(marker)))
                  .build())
          .get();
      assertEquals(0, store.range(KvRange.newBuilder().setKey(marker).build()).get().getCount());
    }
  }

  @Test
  void otherReservedKeysAreStillRefused() throws Exception {
    try (InMemoryStore store = new InMemoryStore()) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () -> store.txn(put(ByteString.copyFromUtf8("/mapsync/other/x"), "v")).get());
      StoreException cause = assertInstanceOf(StoreException.class, e.getCause());
      assertEquals(StoreException.Reason.REJECTED, cause.reason());
      assertFalse(
          KeyLayout.parseOriginKey(ByteString.copyFromUtf8("/mapsync/other/x")).isPresent());
    }
  }

  private static KvTxn put(ByteString key, String value) {
    return KvTxn.newBuilder()
        .addSuccess(
            KvOp.newBuilder()
                .setPut(KvPut.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value))))
        .build();
  }
}
