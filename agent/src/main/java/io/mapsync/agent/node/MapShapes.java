package io.mapsync.agent.node;

import io.mapsync.agent.config.ConfigException;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.bpf.BpfMapInfo;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.PossibleCpus;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;

/** Translates between configured map shapes, kernel map info and the store's map specs. */
final class MapShapes {
  private MapShapes() {}

  static BpfMapType kernelType(MapType type) {
    return switch (type) {
      case HASH -> BpfMapType.HASH;
      case ARRAY -> BpfMapType.ARRAY;
      case PERCPU_HASH -> BpfMapType.PERCPU_HASH;
      case PERCPU_ARRAY -> BpfMapType.PERCPU_ARRAY;
      case LRU_HASH -> BpfMapType.LRU_HASH;
      case LRU_PERCPU_HASH -> BpfMapType.LRU_PERCPU_HASH;
      default -> throw new IllegalArgumentException("no kernel type for " + type);
    };
  }

  static MapType storeType(BpfMapType type, String mapName) {
    return switch (type) {
      case HASH -> MapType.HASH;
      case ARRAY -> MapType.ARRAY;
      case PERCPU_HASH -> MapType.PERCPU_HASH;
      case PERCPU_ARRAY -> MapType.PERCPU_ARRAY;
      case LRU_HASH -> MapType.LRU_HASH;
      case LRU_PERCPU_HASH -> MapType.LRU_PERCPU_HASH;
      default ->
          throw new ConfigException(
              "map '"
                  + mapName
                  + "' is a "
                  + type.name().toLowerCase(java.util.Locale.ROOT)
                  + " map; mapsync replicates hash, lru_hash, array, percpu_hash, percpu_array and lru_percpu_hash maps");
    };
  }

  /**
   * The spec the store holds. Its value size is what bpf() exchanges: for per-CPU maps every
   * possible CPU's slot, each rounded to 8 bytes, so hosts must have the same number of possible
   * CPUs to share a per-CPU map (a host that differs registers a different spec and is refused).
   */
  static MapSpec storeSpec(MapConfig config, BpfMapInfo info) {
    String name = config.name();
    return MapSpec.newBuilder()
        .setName(name)
        .setType(storeType(info.type(), name))
        .setKeySize(info.keySize())
        .setValueSize(info.userValueSize())
        .setMaxEntries(info.maxEntries())
        .setIdleTtlMillis(config.idleTtl().toMillis())
        .build();
  }

  /** Checks a pinned map against the shape the config expects, naming the field that differs. */
  static void checkPinned(MapConfig config, BpfMapInfo info, int index) {
    String at = "maps[" + index + "]";
    storeType(info.type(), config.name());
    if (config.type() != null && kernelType(config.type()) != info.type()) {
      throw mismatch(
          at + ".type",
          config,
          config.type().name().toLowerCase(java.util.Locale.ROOT),
          info.type().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (config.keySize() != 0 && config.keySize() != info.keySize()) {
      throw mismatch(at + ".key_size", config, config.keySize(), info.keySize());
    }
    if (config.valueSize() != 0 && config.valueSize() != info.valueSize()) {
      throw mismatch(at + ".value_size", config, config.valueSize(), info.valueSize());
    }
    if (config.maxEntries() != 0 && config.maxEntries() != info.maxEntries()) {
      throw mismatch(at + ".max_entries", config, config.maxEntries(), info.maxEntries());
    }
  }

  private static ConfigException mismatch(
      String field, MapConfig config, Object configured, Object actual) {
    return new ConfigException(
        field
            + ": configured "
            + configured
            + " but the map pinned at "
            + config.pinned()
            + " has "
            + actual
            + "; fix the config or point it at the right map");
  }

  static int possibleCpus() {
    return PossibleCpus.count();
  }
}
