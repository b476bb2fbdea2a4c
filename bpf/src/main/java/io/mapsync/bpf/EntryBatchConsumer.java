package io.mapsync.bpf;

/**
 * Receives a map's entries a batch at a time, as the kernel returns them: {@code count} keys back
 * to back in {@code keys}, their values back to back in {@code values}. The arrays are reused
 * between calls: copy what you keep.
 */
@FunctionalInterface
public interface EntryBatchConsumer {
  void accept(byte[] keys, byte[] values, int count);
}
