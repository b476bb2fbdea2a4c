package io.mapsync.bpf.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapSpec;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.capture.MapChange.Op;
import io.mapsync.bpf.testing.Fold;
import io.mapsync.bpf.testing.MapWriter;
import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.RecordingSink;
import io.mapsync.bpf.testing.Require;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scan tier and its shadow: LRU evictions, and the agent's writes racing scans. */
@ExtendWith(NoFdLeaks.class)
class ScanTierTest {

  private static byte[] u32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
  }

  private static byte[] u64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
  }

  @Test
  void lruEvictionsAreSeenAsDeletes() throws Exception {
    Require.tracepoints();
    RecordingSink sink = new RecordingSink();
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_lru", BpfMapType.LRU_HASH, 4, 8, 32));
        CaptureSession session =
            CaptureSession.builder(sink).scanInterval(Duration.ofMillis(50)).build();
        MapWriter writer = new MapWriter()) {
      assertTrue(session.add(map, Tier.AUTO).containsAll(List.of(Tier.SYSCALL, Tier.SCAN)));
      HexFormat hex = HexFormat.of();
      for (int i = 0; i < 200; i += 50) {
        StringBuilder keys = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int k = i; k < i + 50; k++) {
          keys.append(k == i ? "" : ",").append(hex.formatHex(u32(k)));
          values.append(k == i ? "" : ",").append(hex.formatHex(u64(k)));
        }
        assertEquals("ok", writer.send("update-batch " + map.id() + " " + keys + " " + values));
      }
      List<MapChange> got = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline
          && !(got.size() >= 200 && Fold.of(got).equals(Fold.content(map)))) {
        got.addAll(sink.take(1000, Duration.ofMillis(200)));
      }
      Map<String, String> content = Fold.content(map);
      assertTrue(content.size() <= 32, "an LRU map of 32 holds at most 32");
      assertEquals(content, Fold.of(got), "replaying every reported change gives the map");
      long evictions =
          got.stream().filter(c -> c.op() == Op.DELETE && c.tier() == Tier.SCAN).count();
      assertTrue(evictions >= 200 - 32, "evictions reported as scan deletes: " + evictions);
      assertEquals(
          200, got.stream().filter(c -> c.op() == Op.PUT && c.tier() == Tier.SYSCALL).count());
    }
  }

  @Test
  void agentWritesRacingScansAreNeverReported() throws Exception {
    Require.bpf();
    RecordingSink sink = new RecordingSink();
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_race", BpfMapType.HASH, 4, 8, 4096));
        CaptureSession session =
            CaptureSession.builder(sink).scanInterval(Duration.ofMillis(1)).build()) {
      session.add(map, Tier.SCAN);
      AtomicBoolean stop = new AtomicBoolean();
      Thread agent =
          new Thread(
              () -> {
                for (long n = 0; !stop.get(); n++) {
                  int key = (int) (n % 1000);
                  if (n % 7 == 3) {
                    session.applyDelete(map, u32(key));
                  } else {
                    session.apply(map, u32(key), u64(n));
                  }
                }
              });
      agent.start();
      Thread.sleep(1500);
      stop.set(true);
      agent.join();
      long scans = session.stats(map.id()).scans();
      session.rescan(map.id(), "final check");
      assertTrue(scans > 20, "scans ran while the agent wrote: " + scans);
      assertEquals(
          List.of(),
          sink.drain(Duration.ofMillis(100)),
          "the agent's own writes are never reported");
    }
  }
}
