package io.mapsync.agent.cli;

import io.mapsync.store.StoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a client call with a deadline and turns its failure into one readable StoreException.
 */
final class Calls {
  static final long TIMEOUT_SECONDS = 10;

  private Calls() {}

  static <T> T await(CompletableFuture<T> call, String what, java.util.List<String> endpoints) {
    try {
      return call.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new StoreException(
          StoreException.Reason.UNAVAILABLE,
          "no answer to "
              + what
              + " from "
              + endpoints
              + " within "
              + TIMEOUT_SECONDS
              + " s; check that the members run and the addresses are their client ports");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      String msg = c.getMessage() == null ? c.toString() : c.getMessage();
      throw new StoreException(
          StoreException.Reason.REJECTED, what + " failed: " + msg.replaceFirst("^[A-Z_]+: ", ""));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(StoreException.Reason.CLOSED, "interrupted");
    }
  }
}
