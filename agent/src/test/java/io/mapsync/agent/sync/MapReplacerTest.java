package io.mapsync.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.mapsync.store.StoredEntry;
import io.mapsync.wire.MapSpec;
import io.mapsync.wire.MapType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bootstrap installs by batch writes and counts them; a batch the kernel refuses is written key by
 * key.
 */
class MapReplacerTest {
  private static final int ENTRIES = 10_000;
  private static final MapSpec SPEC =
      MapSpec.newBuilder()
          .setName("m")
          .setType(MapType.HASH)
          .setKeySize(4)
          .setValueSize(4)
          .setMaxEntries(2 * ENTRIES)
          .build();

  /** Counts what bootstrap reports about its batches. */
  private static final class BatchCounts implements SyncMetrics {
    int batched;
    int refused;

    @Override
    public void bootstrapBatch(String map, int entries) {
      batched += entries;
    }

    @Override
    public void bootstrapBatchRefused(String map) {
      refused++;
    }
  }

  /**
   * A map whose batch write the kernel refuses (as an old kernel without BPF_MAP_UPDATE_BATCH
   * would).
   */
  private static final class NoBatchMap implements LocalMap {
    final MemoryMap inner = new MemoryMap(SPEC, false);

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public MapSpec spec() {
      return inner.spec();
    }

    @Override
    public boolean replicateEvictions() {
      return false;
    }

    @Override
    public void write(ByteString key, ByteString value) {
      inner.write(key, value);
    }

    @Override
    public void delete(ByteString key) {
      inner.delete(key);
    }

    @Override
    public Map<ByteString, ByteString> dump() {
      return inner.dump();
    }

    @Override
    public void writeAll(List<Map.Entry<ByteString, ByteString>> entries) {
      throw new LocalWriteException(LocalWriteException.Kind.OTHER, "batch not supported", null);
    }
  }

  private static List<StoredEntry> store() {
    List<StoredEntry> out = new ArrayList<>();
    for (int i = 0; i < ENTRIES; i++) {
      out.add(new StoredEntry(u32(i), u32(~i), i + 1, "o", i));
    }
    return out;
  }

  private static ByteString u32(int v) {
    return ByteString.copyFrom(ByteBuffer.allocate(4).putInt(v).array());
  }

  private static Map<ByteString, ByteString> asMap(List<StoredEntry> entries) {
    Map<ByteString, ByteString> m = new HashMap<>();
    entries.forEach(e -> m.put(e.key(), e.value()));
    return m;
  }

  @Test
  void anEmptyMapIsInstalledEntirelyThroughBatchWrites() {
    MemoryMap map = new MemoryMap(SPEC, false);
    BatchCounts counts = new BatchCounts();
    MapReplacer.Result r = MapReplacer.replace(map, store(), new PendingWrites(), counts);
    assertEquals(ENTRIES, r.written());
    assertEquals(ENTRIES, counts.batched);
    assertEquals(0, counts.refused);
    assertEquals(asMap(store()), map.dump());
  }

  @Test
  void refusedBatchesAreCountedAndTheirEntriesWrittenOneByOne() {
    NoBatchMap map = new NoBatchMap();
    BatchCounts counts = new BatchCounts();
    MapReplacer.Result r = MapReplacer.replace(map, store(), new PendingWrites(), counts);
    assertEquals(ENTRIES, r.written());
    assertEquals(0, r.failed());
    assertEquals(0, counts.batched);
    assertEquals(3, counts.refused, "10 000 entries in chunks of 4096");
    assertEquals(asMap(store()), map.dump());
  }
}
