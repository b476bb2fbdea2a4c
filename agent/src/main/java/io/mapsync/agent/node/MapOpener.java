package io.mapsync.agent.node;

import io.mapsync.agent.config.ConfigException;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.bpf.BpfException;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapInfo;
import io.mapsync.bpf.BpfMapSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the maps a config names: an existing pinned map (checked against the configured shape), or
 * one the agent creates and pins. A created map that is already pinned from an earlier run is
 * reused, so a restarted agent keeps its map (and the network function its state).
 */
final class MapOpener {
  private static final Logger LOG = LoggerFactory.getLogger(MapOpener.class);

  private MapOpener() {}

  static KernelMap open(MapConfig config, int index) {
    try {
      return config.creates() ? createOrReuse(config, index) : openPinned(config, index);
    } catch (BpfException e) {
      throw new ConfigException(
          "maps[" + index + "] ('" + config.name() + "'): " + e.getMessage(), e);
    }
  }

  private static KernelMap openPinned(MapConfig config, int index) {
    if (!Files.exists(config.pinned())) {
      throw new ConfigException(
          "maps["
              + index
              + "].pinned: no map is pinned at "
              + config.pinned()
              + "; load the network function first, or let mapsync create the map (give type, key_size, value_size, "
              + "max_entries instead of pinned)");
    }
    BpfMap map = BpfMap.openPinned(config.pinned());
    try {
      BpfMapInfo info = map.info();
      MapShapes.checkPinned(config, info, index);
      return new KernelMap(config, map, MapShapes.storeSpec(config, info));
    } catch (RuntimeException e) {
      map.close();
      throw e;
    }
  }

  private static KernelMap createOrReuse(MapConfig config, int index) {
    Path pin = config.pin();
    if (Files.exists(pin)) {
      BpfMap map = BpfMap.openPinned(pin);
      try {
        BpfMapInfo info = map.info();
        MapShapes.checkPinned(
            new MapConfig(
                config.name(),
                pin,
                config.type(),
                config.keySize(),
                config.valueSize(),
                config.maxEntries(),
                null,
                config.capture(),
                config.scanInterval(),
                config.lruEviction(),
                config.idleTtl(),
                config.group()),
            info,
            index);
        LOG.info("map '{}': reusing the map pinned at {} (id {})", config.name(), pin, info.id());
        return new KernelMap(config, map, MapShapes.storeSpec(config, info));
      } catch (RuntimeException e) {
        map.close();
        throw e;
      }
    }
    String kernelName =
        config.name().length() > 15 ? config.name().substring(0, 15) : config.name();
    BpfMap map =
        BpfMap.create(
            BpfMapSpec.of(
                kernelName.replace('-', '_').replace('.', '_'),
                MapShapes.kernelType(config.type()),
                config.keySize(),
                config.valueSize(),
                config.maxEntries()));
    try {
      Files.createDirectories(pin.getParent());
      map.pin(pin);
      BpfMapInfo info = map.info();
      LOG.info("map '{}': created and pinned at {} (id {})", config.name(), pin, info.id());
      return new KernelMap(config, map, MapShapes.storeSpec(config, info));
    } catch (IOException e) {
      map.close();
      throw new ConfigException(
          "maps["
              + index
              + "].pin: cannot create "
              + pin.getParent()
              + ": "
              + e.getMessage()
              + " (is bpffs mounted at /sys/fs/bpf? run scripts/setup as root)");
    } catch (RuntimeException e) {
      map.close();
      throw e;
    }
  }
}
