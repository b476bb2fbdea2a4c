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
import io.mapsync.wire.LeaseGrant;
import io.mapsync.wire.LogEntry;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The Auth service's records under /mapsync/auth/: the replicas take puts and deletes of them (the
 * etcd API facade decides who may), but never on a lease, which would make users vanish.
 */
class AuthRecordKeysTest {
  private static final ByteString USER = ByteString.copyFromUtf8("/mapsync/auth/users/alice");

  @Test
  void txnMayWriteAndDeleteAuthRecords() throws Exception {
    try (InMemoryStore store = new InMemoryStore()) {
      assertTrue(KeyLayout.isReserved(USER) && KeyLayout.isAuthKey(USER));
      store.txn(txn(KvOp.newBuilder().setPut(put(0)).build())).get();
      assertEquals(1, store.range(KvRange.newBuilder().setKey(USER).build()).get().getCount());
      store
          .txn(
              txn(
                  KvOp.newBuilder()
                      .setDeleteRange(KvDeleteRange.newBuilder().setKey(USER))
                      .build()))
          .get();
      assertEquals(0, store.range(KvRange.newBuilder().setKey(USER).build()).get().getCount());
    }
  }

  @Test
  void anAuthRecordOnALeaseIsRefused() throws Exception {
    try (InMemoryStore store = new InMemoryStore()) {
      store
          .append(
              LogEntry.newBuilder()
                  .setLeaseGrant(LeaseGrant.newBuilder().setId(7).setTtlSeconds(60)))
          .get();
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () -> store.txn(txn(KvOp.newBuilder().setPut(put(7)).build())).get());
      StoreException cause = assertInstanceOf(StoreException.class, e.getCause());
      assertEquals(StoreException.Reason.REJECTED, cause.reason());
      assertTrue(cause.getMessage().contains("cannot be attached to a lease"), cause.getMessage());
    }
  }

  private static KvPut put(long lease) {
    return KvPut.newBuilder()
        .setKey(USER)
        .setValue(ByteString.copyFromUtf8("u"))
        .setLease(lease)
        .build();
  }

  private static KvTxn txn(KvOp op) {
    return KvTxn.newBuilder().addSuccess(op).build();
  }
}
