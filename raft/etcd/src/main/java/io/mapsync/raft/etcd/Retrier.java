package io.mapsync.raft.etcd;

import io.mapsync.store.StoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the same request again while etcd answers with a transient failure (no leader, leader
 * changed, member down, deadline), with a growing, jittered pause, until the operation deadline.
 * Only used for requests that are safe to repeat: reads, and writes whose compare turns a second
 * landing into a no-op.
 */
final class Retrier {
  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);
  private static final long FIRST_PAUSE_MS = 25;
  private static final long MAX_PAUSE_MS = 1000;

  private final ScheduledExecutorService scheduler;
  private final Duration operationTimeout;
  private final BooleanSupplier closed;

  Retrier(ScheduledExecutorService scheduler, Duration operationTimeout, BooleanSupplier closed) {
    this.scheduler = scheduler;
    this.operationTimeout = operationTimeout;
    this.closed = closed;
  }

  /** Runs the attempt until it succeeds, fails for good, or the operation deadline passes. */
  <T> CompletableFuture<T> call(String what, Supplier<CompletableFuture<T>> attempt) {
    CompletableFuture<T> result = new CompletableFuture<>();
    run(what, attempt, System.nanoTime() + operationTimeout.toNanos(), 0, result);
    return result;
  }

  private <T> void run(
      String what,
      Supplier<CompletableFuture<T>> attempt,
      long deadline,
      int tries,
      CompletableFuture<T> result) {
    if (closed.getAsBoolean()) {
      result.completeExceptionally(
          new StoreException(StoreException.Reason.CLOSED, what + ": the etcd store is closed"));
      return;
    }
    CompletableFuture<T> f;
    try {
      f = attempt.get();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (value, error) -> {
          if (error == null) {
            if (tries > 0) {
              LOG.info("{} succeeded after {} retries", what, tries);
            }
            result.complete(value);
            return;
          }
          StoreException e = EtcdClientErrors.toStoreException(error, what);
          long pauseMs = pause(tries);
          boolean inTime = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMs) < deadline;
          if (!e.retriable() || !inTime || closed.getAsBoolean()) {
            result.completeExceptionally(e);
            return;
          }
          LOG.debug("{} failed ({}), trying again in {} ms", what, e.getMessage(), pauseMs);
          try {
            scheduler.schedule(
                () -> run(what, attempt, deadline, tries + 1, result),
                pauseMs,
                TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException closing) {
            result.completeExceptionally(
                new StoreException(
                    StoreException.Reason.CLOSED, what + ": the etcd store is closed"));
          }
        });
  }

  static long pause(int tries) {
    long base = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS << Math.min(tries, 6));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }
}
