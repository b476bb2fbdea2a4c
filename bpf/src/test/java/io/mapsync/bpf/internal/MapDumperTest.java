package io.mapsync.bpf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapSpec;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.Require;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both dump paths read the same entries: the batch one, and the key-by-key fallback for kernels
 * without it.
 */
@ExtendWith(NoFdLeaks.class)
class MapDumperTest {

  @Test
  void batchAndKeyByKeyDumpsAgree() {
    Require.bpf();
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_dumper", BpfMapType.HASH, 4, 8, 50_000))) {
      for (int i = 0; i < 40_000; i += 3) {
        map.update(
            ByteBuffer.allocate(4).putInt(i).array(),
            ByteBuffer.allocate(8).putLong(i * 5L).array(),
            UpdateFlag.ANY);
      }
      Map<Integer, Long> batch = new HashMap<>();
      Map<Integer, Long> oneByOne = new HashMap<>();
      long n = MapDumper.dump(map.fd(), 4, 8, 50_000, "dump", (k, v, c) -> collect(batch, k, v, c));
      long m =
          MapDumper.dumpOneByOne(
              map.fd(), 4, 8, 100_016, "dump", (k, v, c) -> collect(oneByOne, k, v, c));
      assertEquals(13_334, n);
      assertEquals(n, m);
      assertEquals(batch, oneByOne);
      batch.forEach((k, v) -> assertEquals(k * 5L, v));
    }
  }

  private static void collect(Map<Integer, Long> into, byte[] keys, byte[] values, int count) {
    for (int i = 0; i < count; i++) {
      into.put(
          ByteBuffer.wrap(keys, i * 4, 4).getInt(), ByteBuffer.wrap(values, i * 8, 8).getLong());
    }
  }
}
