package io.mapsync.agent.config;

import io.mapsync.wire.MapType;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One map to replicate: an existing pinned map, or one the agent creates from a spec and pins.
 *
 * @param name the map's name in the log; the same on every host
 * @param pinned path of an existing pinned map to use (null: create one)
 * @param type the map type (required when creating; checked against a pinned map when given)
 * @param keySize key size in bytes (likewise)
 * @param valueSize value size in bytes (likewise; per-CPU maps: one CPU's value)
 * @param maxEntries capacity (likewise)
 * @param pin where a created map is pinned (default /sys/fs/bpf/mapsync/&lt;id&gt;/&lt;name&gt;)
 * @param capture which capture tier to use: auto, syscall, scan, fentry, emit
 * @param scanInterval period of the scan tier
 * @param lruEviction for LRU maps: replicate an eviction as a delete, or keep it local
 * @param idleTtl entries not written for this long leave the store (and every host's map); zero:
 *     never
 * @param group the Raft group whose log carries this map ({@link #DEFAULT_GROUP} when not given)
 */
public record MapConfig(
    String name,
    Path pinned,
    MapType type,
    int keySize,
    int valueSize,
    int maxEntries,
    Path pin,
    CaptureTier capture,
    Duration scanInterval,
    LruEviction lruEviction,
    Duration idleTtl,
    String group) {

  /**
   * The group of maps that name none: every voter's Raft group, the one the cluster starts with.
   */
  public static final String DEFAULT_GROUP = "default";

  public MapConfig {
    group = group == null ? DEFAULT_GROUP : group;
  }

  /** A map of the default group whose entries never expire. */
  public MapConfig(
      String name,
      Path pinned,
      MapType type,
      int keySize,
      int valueSize,
      int maxEntries,
      Path pin,
      CaptureTier capture,
      Duration scanInterval,
      LruEviction lruEviction) {
    this(
        name,
        pinned,
        type,
        keySize,
        valueSize,
        maxEntries,
        pin,
        capture,
        scanInterval,
        lruEviction,
        Duration.ZERO,
        null);
  }

  /** Capture tiers, as chosen in configuration. */
  public enum CaptureTier {
    AUTO,
    SYSCALL,
    SCAN,
    FENTRY,
    EMIT
  }

  /** What an LRU eviction means for the other hosts. */
  public enum LruEviction {
    REPLICATE,
    LOCAL
  }

  public boolean creates() {
    return pinned == null;
  }
}
