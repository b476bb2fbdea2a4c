package io.mapsync.raft.etcdapi;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a unary call from a future. Every failure, thrown or completed, goes through {@link
 * EtcdApiErrors} so a client always gets a status and never waits on a call that broke.
 */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  /** Runs the call and sends its result or its failure. */
  static <T> void answer(StreamObserver<T> out, Callable<CompletableFuture<T>> call) {
    CompletableFuture<T> result;
    try {
      result = call.call();
    } catch (Exception | LinkageError e) {
      fail(out, e);
      return;
    }
    result.whenComplete(
        (value, error) -> {
          if (error != null) {
            fail(out, error);
            return;
          }
          try {
            out.onNext(value);
            out.onCompleted();
          } catch (RuntimeException e) {
            // The client went away meanwhile; nothing is left to tell it.
            LOG.debug("could not deliver a reply", e);
          }
        });
  }

  static void fail(StreamObserver<?> out, Throwable error) {
    var status = EtcdApiErrors.toStatus(error);
    if (status.getStatus().getCode() == io.grpc.Status.Code.INTERNAL) {
      LOG.warn("etcd API call failed unexpectedly", error);
    }
    try {
      out.onError(status);
    } catch (RuntimeException e) {
      LOG.debug("could not deliver an error", e);
    }
  }
}
