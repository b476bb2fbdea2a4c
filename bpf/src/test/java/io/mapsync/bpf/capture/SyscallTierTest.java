package io.mapsync.bpf.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapSpec;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.MapEntry;
import io.mapsync.bpf.PossibleCpus;
import io.mapsync.bpf.UpdateFlag;
import io.mapsync.bpf.capture.MapChange.Op;
import io.mapsync.bpf.testing.MapWriter;
import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.RecordingSink;
import io.mapsync.bpf.testing.Require;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The syscall tier against writes made by another OS process. */
@ExtendWith(NoFdLeaks.class)
class SyscallTierTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Duration WAIT = Duration.ofSeconds(5);

  @BeforeEach
  void kernel() {
    Require.tracepoints();
  }

  private static void expect(MapChange c, Op op, String key, String value, int pid, BpfMap map) {
    assertEquals(Tier.SYSCALL, c.tier(), c.toString());
    assertEquals(op, c.op(), c.toString());
    assertEquals(map.id(), c.mapId());
    assertEquals(map.name(), c.mapName());
    assertEquals(key, HEX.formatHex(c.key()), c.toString());
    assertEquals(value, c.value() == null ? null : HEX.formatHex(c.value()), c.toString());
    assertEquals(pid, c.pid(), c.toString());
    assertTrue(
        c.timestampNs() > 0 && c.timestampNs() <= System.nanoTime(),
        "timestamp is CLOCK_MONOTONIC");
  }

  @Test
  void anotherProcessWritesDeletesAndBatchesAreReportedInOrderWithTheirBytes() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_sys", BpfMapType.HASH, 4, 8, 64));
        CaptureSession session = CaptureSession.builder(sink).build();
        MapWriter writer = new MapWriter()) {
      assertEquals(Set.of(Tier.SYSCALL), session.add(map, Tier.SYSCALL));
      int id = map.id();
      assertEquals("ok", writer.send("update " + id + " 01000000 1111111111111111 NOEXIST"));
      assertEquals("ok", writer.send("update " + id + " 02000000 2222222222222222 ANY"));
      assertEquals(
          "error KeyExistsException",
          writer.send("update " + id + " 01000000 9999999999999999 NOEXIST"));
      assertEquals(
          "error KeyNotFoundException",
          writer.send("update " + id + " 07000000 9999999999999999 EXIST"));
      assertEquals("ok", writer.send("delete " + id + " 02000000"));
      assertEquals(
          "ok",
          writer.send(
              "update-batch " + id + " 03000000,04000000 3333333333333333,4444444444444444"));
      assertEquals("ok", writer.send("delete-batch " + id + " 03000000"));
      assertEquals("ok", writer.send("lookup-and-delete " + id + " 01000000"));
      int pid = writer.pid();
      List<MapChange> got = sink.take(7, WAIT);
      assertEquals(7, got.size(), "changes: " + got);
      expect(got.get(0), Op.PUT, "01000000", "1111111111111111", pid, map);
      expect(got.get(1), Op.PUT, "02000000", "2222222222222222", pid, map);
      expect(got.get(2), Op.DELETE, "02000000", null, pid, map);
      expect(got.get(3), Op.PUT, "03000000", "3333333333333333", pid, map);
      expect(got.get(4), Op.PUT, "04000000", "4444444444444444", pid, map);
      expect(got.get(5), Op.DELETE, "03000000", null, pid, map);
      expect(got.get(6), Op.DELETE, "01000000", null, pid, map);
      assertEquals(
          List.of(),
          sink.drain(Duration.ofMillis(300)),
          "nothing else, in particular no failed write");
      assertEquals(7, session.stats(id).captured());
    }
  }

  @Test
  void aBatchThatFailsPartWayReportsOnlyWhatTheKernelDid() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_sys_part", BpfMapType.HASH, 4, 8, 2));
        CaptureSession session = CaptureSession.builder(sink).build();
        MapWriter writer = new MapWriter()) {
      session.add(map, Tier.SYSCALL);
      // Room for two entries: the third of the batch fails with E2BIG after two are written.
      assertEquals(
          "error MapFullException",
          writer.send(
              "update-batch "
                  + map.id()
                  + " 01000000,02000000,03000000 1111111111111111,2222222222222222,3333333333333333"));
      List<MapChange> got = sink.take(2, WAIT);
      assertEquals(2, got.size(), "changes: " + got);
      expect(got.get(0), Op.PUT, "01000000", "1111111111111111", writer.pid(), map);
      expect(got.get(1), Op.PUT, "02000000", "2222222222222222", writer.pid(), map);
      assertEquals(List.of(), sink.drain(Duration.ofMillis(300)));
    }
  }

  @Test
  void theCapturingProcessOwnWritesAreNotReported() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_sys_own", BpfMapType.HASH, 4, 8, 64));
        CaptureSession session = CaptureSession.builder(sink).build();
        MapWriter writer = new MapWriter()) {
      session.add(map, Tier.AUTO);
      session.apply(map, HEX.parseHex("01000000"), HEX.parseHex("1111111111111111"));
      map.update(HEX.parseHex("02000000"), HEX.parseHex("2222222222222222"), UpdateFlag.ANY);
      session.applyBatch(
          map,
          List.of(
              new MapEntry(HEX.parseHex("03000000"), HEX.parseHex("3333333333333333")),
              new MapEntry(HEX.parseHex("01000000"), null)));
      session.applyDelete(map, HEX.parseHex("02000000"));
      session.rescan(map.id(), "test");
      // A marker from another process proves the probe was running all along.
      assertEquals("ok", writer.send("update " + map.id() + " 09000000 0909090909090909 ANY"));
      List<MapChange> got = sink.take(1, WAIT);
      assertEquals(1, got.size());
      expect(got.get(0), Op.PUT, "09000000", "0909090909090909", writer.pid(), map);
      assertEquals(List.of(), sink.drain(Duration.ofMillis(300)));
      assertArrayEquals(HEX.parseHex("3333333333333333"), map.lookup(HEX.parseHex("03000000")));
      assertNull(map.lookup(HEX.parseHex("01000000")));
    }
  }

  @Test
  void perCpuValuesArriveForEveryCpu() throws Exception {
    RecordingSink sink = new RecordingSink();
    int cpus = PossibleCpus.count();
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_sys_pcpu", BpfMapType.PERCPU_HASH, 4, 4, 8));
        CaptureSession session = CaptureSession.builder(sink).build();
        MapWriter writer = new MapWriter()) {
      session.add(map, Tier.SYSCALL);
      StringBuilder value = new StringBuilder();
      for (int c = 0; c < cpus; c++) {
        value.append(String.format("%02x00000000000000", c + 1));
      }
      assertEquals("ok", writer.send("update " + map.id() + " 05000000 " + value + " ANY"));
      List<MapChange> got = sink.take(1, WAIT);
      assertEquals(1, got.size());
      expect(got.get(0), Op.PUT, "05000000", value.toString(), writer.pid(), map);
    }
  }
}
