package io.mapsync.agent.node;

import com.google.protobuf.ByteString;
import io.mapsync.agent.config.MapConfig;
import io.mapsync.agent.sync.LocalMap;
import io.mapsync.agent.sync.LocalWriteException;
import io.mapsync.bpf.BpfException;
import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.InvalidArgumentException;
import io.mapsync.bpf.MapEntry;
import io.mapsync.bpf.MapFullException;
import io.mapsync.bpf.ObjectNotFoundException;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.bpf.capture.CaptureSession;
import io.mapsync.wire.MapSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A replicated map in the kernel. Once capture runs, every write goes through the capture session,
 * which keeps its scan shadow in step so the agent's own writes are never reported back.
 */
final class KernelMap implements LocalMap {
  private final MapConfig config;
  private final BpfMap map;
  private final MapSpec spec;
  private final boolean lru;
  private volatile CaptureSession session;

  KernelMap(MapConfig config, BpfMap map, MapSpec spec) {
    this.config = config;
    this.map = map;
    this.spec = spec;
    BpfMapType type = map.info().type();
    this.lru = type == BpfMapType.LRU_HASH || type == BpfMapType.LRU_PERCPU_HASH;
  }

  /** An LRU map: the kernel evicts its entries on its own. */
  boolean isLru() {
    return lru;
  }

  void captureWith(CaptureSession captureSession) {
    this.session = captureSession;
  }

  BpfMap bpfMap() {
    return map;
  }

  MapConfig config() {
    return config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public MapSpec spec() {
    return spec;
  }

  @Override
  public boolean replicateEvictions() {
    return config.lruEviction() == MapConfig.LruEviction.REPLICATE;
  }

  @Override
  public boolean evictsLocally() {
    return lru && !replicateEvictions();
  }

  @Override
  public void write(ByteString key, ByteString value) {
    try {
      CaptureSession s = session;
      if (s != null) {
        s.apply(map, key.toByteArray(), value.toByteArray());
      } else {
        map.update(key.toByteArray(), value.toByteArray(), UpdateFlag.ANY);
      }
    } catch (BpfException e) {
      throw translate(e);
    }
  }

  /** One BPF_MAP_UPDATE_BATCH call per chunk instead of one syscall per entry. */
  @Override
  public void writeAll(List<Map.Entry<ByteString, ByteString>> entries) {
    List<MapEntry> batch = new ArrayList<>(entries.size());
    for (Map.Entry<ByteString, ByteString> e : entries) {
      batch.add(new MapEntry(e.getKey().toByteArray(), e.getValue().toByteArray()));
    }
    try {
      CaptureSession s = session;
      if (s != null) {
        s.applyBatch(map, batch);
      } else {
        map.updateBatch(
            batch.stream().map(MapEntry::key).toList(),
            batch.stream().map(MapEntry::value).toList(),
            UpdateFlag.ANY);
      }
    } catch (BpfException e) {
      throw translate(e);
    }
  }

  @Override
  public void delete(ByteString key) {
    try {
      CaptureSession s = session;
      if (s != null) {
        s.applyDelete(map, key.toByteArray());
      } else {
        map.delete(key.toByteArray());
      }
    } catch (BpfException e) {
      throw translate(e);
    }
  }

  @Override
  public Map<ByteString, ByteString> dump() {
    Map<ByteString, ByteString> out = new HashMap<>();
    for (MapEntry e : map.dump()) {
      out.put(ByteString.copyFrom(e.key()), ByteString.copyFrom(e.value()));
    }
    return out;
  }

  private LocalWriteException translate(BpfException e) {
    LocalWriteException.Kind kind =
        e instanceof MapFullException
            ? LocalWriteException.Kind.MAP_FULL
            : e instanceof InvalidArgumentException
                ? LocalWriteException.Kind.SIZE
                : e instanceof ObjectNotFoundException
                    ? LocalWriteException.Kind.GONE
                    : LocalWriteException.Kind.OTHER;
    return new LocalWriteException(kind, e.getMessage(), e);
  }
}
