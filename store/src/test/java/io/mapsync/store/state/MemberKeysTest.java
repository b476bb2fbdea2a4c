package io.mapsync.store.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Members' client-address keys: their layout, and that only a host:port may be stored there. */
class MemberKeysTest {

  @Test
  void memberKeysRoundTrip() {
    ByteString key = KeyLayout.memberKey("n1");
    assertEquals("/mapsync/members/n1", key.toStringUtf8());
    assertEquals(Optional.of("n1"), KeyLayout.parseMemberKey(key));
    assertEquals(Optional.empty(), KeyLayout.parseMemberKey(KeyLayout.MEMBERS_PREFIX));
    assertTrue(KeyLayout.isReserved(key));
    assertThrows(IllegalArgumentException.class, () -> KeyLayout.memberKey(""));
  }

  @Test
  void aClientAddressIsStoredAndDeletedButNothingElseIs() throws Exception {
    try (InMemoryStore store = new InMemoryStore()) {
      ByteString key = KeyLayout.memberKey("n1");
      store.txn(put(key, "10.0.0.1:7101")).get();
      assertEquals(
          "10.0.0.1:7101",
          store
              .range(KvRange.newBuilder().setKey(key).build())
              .get()
              .getKvs(0)
              .getValue()
              .toStringUtf8());
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> store.txn(put(key, "not an address")).get());
      StoreException cause = assertInstanceOf(StoreException.class, e.getCause());
      assertEquals(StoreException.Reason.REJECTED, cause.reason());
      assertTrue(cause.getMessage().contains("host:port"), cause.getMessage());
      store
          .txn(
              KvTxn.newBuilder()
                  .addSuccess(
                      KvOp.newBuilder().setDeleteRange(KvDeleteRange.newBuilder().setKey(key)))
                  .build())
          .get();
      assertEquals(0, store.range(KvRange.newBuilder().setKey(key).build()).get().getCount());
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
