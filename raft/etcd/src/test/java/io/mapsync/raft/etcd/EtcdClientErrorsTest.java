package io.mapsync.raft.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.mapsync.store.StoreException;
import io.mapsync.store.StoreException.Reason;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** etcd's failures map to store reasons the caller can act on. */
class EtcdClientErrorsTest {
  @Test
  void etcdServerErrorsByTheirDescription() {
    assertEquals(Reason.NO_LEADER, reason(Status.UNAVAILABLE, "etcdserver: no leader"));
    assertEquals(Reason.NO_LEADER, reason(Status.UNAVAILABLE, "etcdserver: leader changed"));
    assertEquals(Reason.TIMEOUT, reason(Status.UNAVAILABLE, "etcdserver: request timed out"));
    assertEquals(
        Reason.COMPACTED,
        reason(Status.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"));
    assertEquals(
        Reason.FUTURE_REVISION,
        reason(Status.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"));
    assertEquals(
        Reason.REJECTED,
        reason(Status.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"));
    assertEquals(
        Reason.UNAVAILABLE,
        reason(Status.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"));
  }

  @Test
  void transportErrorsAreRetriable() {
    assertEquals(Reason.TIMEOUT, reason(Status.DEADLINE_EXCEEDED, "deadline exceeded after 1.9s"));
    assertEquals(Reason.UNAVAILABLE, reason(Status.UNAVAILABLE, "io exception"));
    assertEquals(Reason.UNAVAILABLE, reason(Status.UNKNOWN, "channel closed"));
    StoreException e =
        EtcdClientErrors.toStoreException(
            new CompletionException(
                Status.UNAVAILABLE.withDescription("Connection refused").asRuntimeException()),
            "range");
    assertTrue(e.retriable());
    assertTrue(e.getMessage().contains("range: Connection refused"), e.getMessage());
  }

  @Test
  void aStoreExceptionPassesThrough() {
    StoreException original = new StoreException(Reason.REJECTED, "no");
    assertSame(original, EtcdClientErrors.toStoreException(new CompletionException(original), "x"));
  }

  private static Reason reason(Status status, String description) {
    return EtcdClientErrors.toStoreException(
            status.withDescription(description).asRuntimeException(), "op")
        .reason();
  }
}
