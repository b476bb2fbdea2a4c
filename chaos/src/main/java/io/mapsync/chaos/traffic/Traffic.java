package io.mapsync.chaos.traffic;

/** A source of operations that runs on its own threads until stopped. */
public interface Traffic extends AutoCloseable {
  void start();

  /** Stops sending and waits for the operations in flight to end (or be recorded as unknown). */
  @Override
  void close();
}
