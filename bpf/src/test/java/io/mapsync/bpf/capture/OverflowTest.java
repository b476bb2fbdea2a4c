package io.mapsync.bpf.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mapsync.bpf.BpfMap;
import io.mapsync.bpf.BpfMapSpec;
import io.mapsync.bpf.BpfMapType;
import io.mapsync.bpf.testing.Fold;
import io.mapsync.bpf.testing.MapWriter;
import io.mapsync.bpf.testing.NoFdLeaks;
import io.mapsync.bpf.testing.RecordingSink;
import io.mapsync.bpf.testing.Require;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A full ring buffer is counted in BPF and repaired by a rescan: never a silent loss. */
@ExtendWith(NoFdLeaks.class)
class OverflowTest {

  @Test
  void aFullRingIsCountedAndTriggersARescan() throws Exception {
    Require.tracepoints();
    RecordingSink sink = new RecordingSink();
    try (BpfMap map = BpfMap.create(BpfMapSpec.of("t_overflow", BpfMapType.HASH, 4, 8, 4096));
        CaptureSession session = CaptureSession.builder(sink).ringSize(4096).build();
        MapWriter writer = new MapWriter()) {
      assertEquals(java.util.Set.of(Tier.SYSCALL), session.add(map, Tier.SYSCALL));
      // One batch of 2000 writes emits 2000 records inside one syscall: a 4 KiB ring holds ~80.
      StringBuilder keys = new StringBuilder();
      StringBuilder values = new StringBuilder();
      for (int k = 0; k < 2000; k++) {
        keys.append(k == 0 ? "" : ",").append(String.format("%08x", Integer.reverseBytes(k)));
        values.append(k == 0 ? "" : ",").append(String.format("%016x", Long.reverseBytes(k * 7L)));
      }
      assertEquals("ok", writer.send("update-batch " + map.id() + " " + keys + " " + values));

      List<MapChange> got = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline && !Fold.of(got).equals(Fold.content(map))) {
        got.addAll(sink.take(4000, Duration.ofMillis(200)));
      }
      CaptureStats stats = session.stats(map.id());
      assertTrue(stats.dropped() > 0, "drops counted: " + stats);
      assertTrue(stats.rescans() >= 1, "rescan triggered: " + stats);
      assertFalse(sink.resyncs.isEmpty(), "the sink was told");
      assertTrue(
          got.stream().anyMatch(c -> c.tier() == Tier.SCAN),
          "the rescan reported what the ring lost");
      assertEquals(2000, Fold.content(map).size());
      assertEquals(Fold.content(map), Fold.of(got), "nothing lost");
    }
  }
}
