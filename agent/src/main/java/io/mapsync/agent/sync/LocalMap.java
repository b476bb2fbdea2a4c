package io.mapsync.agent.sync;

import com.google.protobuf.ByteString;
import io.mapsync.wire.MapSpec;
import java.util.List;
import java.util.Map;

/**
 * A local copy of a replicated map, as the sync loop writes it. Writes made here are the agent's
 * own: capture must not report them back.
 */
public interface LocalMap {
  /** The map's replicated name. */
  String name();

  /** Its shape. */
  MapSpec spec();

  /** Whether an LRU eviction seen by capture is replicated as a delete. */
  boolean replicateEvictions();

  /**
   * Whether the kernel may drop entries of this map on its own without the drop being replicated
   * (an LRU map with {@code lru_eviction: local}): a remote write can then evict an own write that
   * the log orders after it.
   */
  default boolean evictsLocally() {
    return false;
  }

  /** Writes one entry. Throws {@link LocalWriteException} if the kernel refuses it. */
  void write(ByteString key, ByteString value);

  /**
   * Writes many entries at once (bootstrap installs whole maps this way). Throws {@link
   * LocalWriteException} if the kernel refuses one; some of the others may have been written.
   */
  default void writeAll(List<Map.Entry<ByteString, ByteString>> entries) {
    for (Map.Entry<ByteString, ByteString> e : entries) {
      write(e.getKey(), e.getValue());
    }
  }

  /** Deletes one entry; a missing entry is not an error. */
  void delete(ByteString key);

  /** Every entry, read now. */
  Map<ByteString, ByteString> dump();
}
