package io.mapsync.chaos.traffic;

import java.util.concurrent.locks.LockSupport;

/**
 * A daemon thread that runs one operation after another, at most {@code perSecond} a second, until
 * stopped. A slow operation does not make the next ones burst: the schedule never runs more than
 * one period behind.
 */
final class PacedLoop {
  private final Thread thread;
  private volatile boolean stopped;

  PacedLoop(String threadName, int perSecond, Runnable step) {
    long periodNanos = 1_000_000_000L / Math.max(1, perSecond);
    thread =
        new Thread(
            () -> {
              long next = System.nanoTime();
              while (!stopped) {
                step.run();
                next = Math.max(next + periodNanos, System.nanoTime() - periodNanos);
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
              }
            },
            threadName);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Stops after the operation in flight and waits for it (at most {@code joinMs}). */
  void stop(long joinMs) {
    stopped = true;
    try {
      thread.join(joinMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
