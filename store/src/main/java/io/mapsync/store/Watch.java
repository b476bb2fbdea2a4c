package io.mapsync.store;

/** A running watch; closing it stops delivery. */
public interface Watch extends AutoCloseable {
  /** The next revision this watch will deliver. */
  long nextRevision();

  @Override
  void close();
}
