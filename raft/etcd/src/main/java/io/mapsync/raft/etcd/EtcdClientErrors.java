package io.mapsync.raft.etcd;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.mapsync.store.StoreException;
import io.mapsync.store.StoreException.Reason;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place that turns what etcd, gRPC and jetcd throw into a {@link StoreException} with a
 * reason the caller can act on. etcd reports most conditions as a gRPC code plus an "etcdserver:
 * ..." description; jetcd passes them on either as a gRPC status exception or as its own {@link
 * EtcdException}.
 */
final class EtcdClientErrors {
  private EtcdClientErrors() {}

  /** The store-level failure for a throwable from a jetcd future (unwrapped as needed). */
  static StoreException toStoreException(Throwable t, String what) {
    Throwable cause = unwrap(t);
    if (cause instanceof StoreException se) {
      return se;
    }
    Status.Code code;
    String description;
    if (cause instanceof EtcdException ee) {
      code = Status.Code.valueOf(ee.getErrorCode().name());
      description = ee.getMessage();
    } else {
      Status status = Status.fromThrowable(cause);
      code = status.getCode();
      description =
          status.getDescription() == null ? String.valueOf(cause) : status.getDescription();
    }
    String message = what + ": " + description;
    return new StoreException(reasonOf(code, description), message, cause);
  }

  static Reason reasonOf(Status.Code code, String description) {
    String d = description == null ? "" : description.toLowerCase(Locale.ROOT);
    if (d.contains("required revision has been compacted")) {
      return Reason.COMPACTED;
    }
    if (d.contains("required revision is a future revision")) {
      return Reason.FUTURE_REVISION;
    }
    if (d.contains("no leader") || d.contains("leader changed")) {
      return Reason.NO_LEADER;
    }
    if (d.contains("request timed out")) {
      return Reason.TIMEOUT;
    }
    return switch (code) {
      case DEADLINE_EXCEEDED -> Reason.TIMEOUT;
      // RESOURCE_EXHAUSTED is "too many requests" (load shedding) or a full database (NOSPACE
      // alarm): both pass once the cluster recovers, so the caller should come back later.
      // UNKNOWN is what gRPC reports when a member's connection dies mid-call ("channel closed").
      case UNAVAILABLE, UNKNOWN, INTERNAL, ABORTED, CANCELLED, RESOURCE_EXHAUSTED ->
          Reason.UNAVAILABLE;
      default -> Reason.REJECTED;
    };
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
