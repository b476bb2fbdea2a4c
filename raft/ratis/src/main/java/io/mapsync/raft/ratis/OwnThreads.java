package io.mapsync.raft.ratis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Moves the completion of a Ratis future onto a mapsync thread. Ratis completes its futures on its
 * own threads, sometimes while holding its locks (the read index's, the server's); whatever the
 * caller chains on such a future runs there, and if it calls back into Ratis (a configuration
 * change after a read barrier) it can deadlock the member (chaos bug 6). A future handed out of
 * this package therefore completes on one of our executors, success or failure alike.
 */
final class OwnThreads {
  private OwnThreads() {}

  static <T> CompletableFuture<T> completeOn(Executor executor, CompletableFuture<T> ratis) {
    CompletableFuture<T> out = new CompletableFuture<>();
    ratis.whenComplete(
        (value, failure) -> {
          try {
            executor.execute(() -> complete(out, value, failure));
          } catch (RejectedExecutionException e) {
            // The member is closing and its executors are shut down: completing here is all that is
            // left.
            complete(out, value, failure);
          }
        });
    return out;
  }

  private static <T> void complete(CompletableFuture<T> out, T value, Throwable failure) {
    if (failure != null) {
      out.completeExceptionally(failure);
    } else {
      out.complete(value);
    }
  }
}
