package io.mapsync.agent.sync;

import com.google.protobuf.ByteString;

/**
 * A change to a local map, as capture saw it.
 *
 * @param map the replicated map's name
 * @param key the raw key
 * @param value the new value, or null for a delete
 * @param monotonicNanos when the write happened (CLOCK_MONOTONIC, the clock of both
 *     bpf_ktime_get_ns and System.nanoTime); for scan captures, when the scan saw it
 * @param eviction true if the change may be an LRU eviction rather than a deliberate delete
 */
public record CapturedChange(
    String map, ByteString key, ByteString value, long monotonicNanos, boolean eviction) {
  public boolean isDelete() {
    return value == null;
  }

  public MapKey mapKey() {
    return new MapKey(map, key);
  }
}
