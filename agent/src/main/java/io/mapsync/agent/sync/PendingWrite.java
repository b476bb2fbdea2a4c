package io.mapsync.agent.sync;

import com.google.protobuf.ByteString;

/**
 * A local write that was captured and is not yet settled in the log. While it is pending, an older
 * remote delta for the same key must not overwrite it.
 */
final class PendingWrite {
  final MapKey key;
  final long seq;
  final OwnBatch batch;
  final long captureNanos;

  /** The captured value, or null for a delete. */
  final ByteString value;

  /**
   * Set when the apply loop wrote this key after (or while) the write was made: the kernel may now
   * hold the remote value, so once this write commits as the latest, it is written back.
   */
  volatile boolean overwrittenLocally;

  PendingWrite(MapKey key, long seq, OwnBatch batch, long captureNanos, ByteString value) {
    this.key = key;
    this.seq = seq;
    this.batch = batch;
    this.captureNanos = captureNanos;
    this.value = value;
  }
}
