package io.mapsync.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.Require;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoFdLeaks.class)
class BpfMapTest {

  @BeforeEach
  void kernel() {
    Require.bpf();
  }

  static byte[] u32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
  }

  static byte[] u64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
  }

  @Test
  void createReportsInfoAndReopensById() {
    try (BpfMap map = BpfMap.create(new BpfMapSpec("t_info", BpfMapType.LRU_HASH, 4, 8, 128, 0))) {
      BpfMapInfo info = map.info();
      assertEquals("t_info", info.name());
      assertEquals(BpfMapType.LRU_HASH, info.type());
      assertEquals(4, info.keySize());
      assertEquals(8, info.valueSize());
      assertEquals(128, info.maxEntries());
      assertTrue(info.id() > 0);
      try (BpfMap again = BpfMap.fromId(map.id())) {
        assertEquals(info, again.info());
      }
    }
  }

  @Test
  void updateFlagsLookupDeleteAndNextKey() {
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_crud", BpfMapType.HASH, 4, 8, 16))) {
      map.update(u32(1), u64(10), UpdateFlag.NOEXIST);
      assertArrayEquals(u64(10), map.lookup(u32(1)));
      KeyExistsException exists =
          assertThrows(
              KeyExistsException.class, () -> map.update(u32(1), u64(11), UpdateFlag.NOEXIST));
      assertTrue(exists.getMessage().contains("'t_crud'"), exists.getMessage());
      assertEquals(17, exists.errno());
      assertThrows(KeyNotFoundException.class, () -> map.update(u32(2), u64(20), UpdateFlag.EXIST));
      map.update(u32(1), u64(12), UpdateFlag.EXIST);
      assertArrayEquals(u64(12), map.lookup(u32(1)));
      map.update(u32(2), u64(20), UpdateFlag.ANY);

      Set<Integer> keys = new HashSet<>();
      for (byte[] k = map.nextKey(null); k != null; k = map.nextKey(k)) {
        keys.add(ByteBuffer.wrap(k).order(ByteOrder.nativeOrder()).getInt());
      }
      assertEquals(Set.of(1, 2), keys);

      assertTrue(map.delete(u32(1)));
      assertFalse(map.delete(u32(1)));
      assertNull(map.lookup(u32(1)));
    }
  }

  @Test
  void batchesAndDump() {
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_batch", BpfMapType.HASH, 4, 8, 20_000))) {
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        keys.add(u32(i));
        values.add(u64(i * 3L));
      }
      assertEquals(10_000, map.updateBatch(keys, values, UpdateFlag.ANY));
      assertEquals(5_000, map.deleteBatch(keys.subList(0, 5_000)));
      List<MapEntry> all = map.dump();
      assertEquals(5_000, all.size());
      for (MapEntry e : all) {
        int k = ByteBuffer.wrap(e.key()).order(ByteOrder.nativeOrder()).getInt();
        assertTrue(k >= 5_000);
        assertArrayEquals(u64(k * 3L), e.value());
      }
    }
  }

  @Test
  void perCpuValuesHoldEveryCpuRoundedToEightBytes() {
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_pcpu", BpfMapType.PERCPU_HASH, 4, 4, 16))) {
      int cpus = PossibleCpus.count();
      assertEquals(8 * cpus, map.info().userValueSize());
      byte[] value = new byte[8 * cpus];
      for (int c = 0; c < cpus; c++) {
        value[c * 8] = (byte) (c + 1);
      }
      map.update(u32(7), value, UpdateFlag.ANY);
      assertArrayEquals(value, map.lookup(u32(7)));
      List<MapEntry> all = map.dump();
      assertEquals(1, all.size());
      assertArrayEquals(value, all.get(0).value());
      InvalidArgumentException wrong =
          assertThrows(
              InvalidArgumentException.class,
              () -> map.update(u32(7), new byte[4], UpdateFlag.ANY));
      assertTrue(wrong.getMessage().contains("CPUs"), wrong.getMessage());
    }
  }

  @Test
  void typedErrorsNameTheMap() {
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_err", BpfMapType.HASH, 4, 8, 2));
        BpfMap array = BpfMap.create(BpfMapSpec.of("t_arr", BpfMapType.ARRAY, 4, 8, 2))) {
      InvalidArgumentException wrongKey =
          assertThrows(InvalidArgumentException.class, () -> map.lookup(new byte[3]));
      assertTrue(
          wrongKey.getMessage().contains("'t_err'")
              && wrongKey.getMessage().contains("key of 3 bytes"),
          wrongKey.getMessage());
      map.update(u32(1), u64(1), UpdateFlag.ANY);
      map.update(u32(2), u64(2), UpdateFlag.ANY);
      MapFullException full =
          assertThrows(MapFullException.class, () -> map.update(u32(3), u64(3), UpdateFlag.ANY));
      assertTrue(
          full.getMessage().contains("'t_err'") && full.getMessage().contains("E2BIG"),
          full.getMessage());
      InvalidArgumentException noDelete =
          assertThrows(InvalidArgumentException.class, () -> array.delete(u32(0)));
      assertTrue(noDelete.getMessage().contains("'t_arr'"), noDelete.getMessage());
    }
    assertThrows(ObjectNotFoundException.class, () -> BpfMap.fromId(Integer.MAX_VALUE));
    assertThrows(
        ObjectNotFoundException.class,
        () -> BpfMap.openPinned(Path.of("/sys/fs/bpf/mapsync-no-such-map")));
  }

  @Test
  void pinAndOpenPinned() throws Exception {
    Path path = Path.of("/sys/fs/bpf/mapsync-test-pin-" + ProcessHandle.current().pid());
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_pin", BpfMapType.HASH, 4, 8, 4))) {
      map.update(u32(5), u64(50), UpdateFlag.ANY);
      map.pin(path);
      try (BpfMap pinned = BpfMap.openPinned(path)) {
        assertEquals(map.id(), pinned.id());
        assertArrayEquals(u64(50), pinned.lookup(u32(5)));
      }
    } finally {
      Files.deleteIfExists(path);
    }
  }

  @Test
  void closedMapRefusesUse() {
    BpfMap map = BpfMap.create(BpfMapSpec.of("t_closed", BpfMapType.HASH, 4, 8, 4));
    map.close();
    map.close();
    assertThrows(IllegalStateException.class, () -> map.lookup(u32(1)));
  }
}
